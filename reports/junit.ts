import { createRequire } from 'node:module';
import type { XMLBuilder } from 'fast-xml-parser';
import type { RunResult, ScenarioResult, VerdictKind } from '../harness/model.js';
import { describeMark } from './baseline-text.js';
import { groupByLayer } from './group.js';
import { writeReport } from './write.js';
import { fixesOf } from './fixes.js';

export const JUNIT_FILE = 'junit.xml';

// The shapes handed to XMLBuilder: `@_` keys are attributes, `#text` is an element's text.
interface Problem {
  '@_message': string;
  '@_type': VerdictKind | 'unexpected-pass';
  '#text': string;
}

interface VerdictElements {
  failure?: Problem;
  error?: Problem;
  skipped?: { '@_message': string };
  'system-out'?: string;
}

interface TestCaseNode extends VerdictElements {
  '@_classname': string;
  '@_name': string;
  '@_time': string;
}

interface Counts {
  '@_tests': number;
  '@_failures': number;
  '@_errors': number;
  '@_skipped': number;
  '@_time': string;
}

// Loaded when a JUnit report is first rendered (synchronously, so rendering stays a pure
// function): a run that writes none never loads the XML library.
const require = createRequire(import.meta.url);
let builder: XMLBuilder | undefined;
function xmlBuilder(): XMLBuilder {
  if (!builder) {
    const { XMLBuilder: Builder } = require('fast-xml-parser') as typeof import('fast-xml-parser');
    builder = new Builder({
      ignoreAttributes: false,
      format: true,
      suppressEmptyNode: true,
      // Without this an attribute whose value is "true" would be written bare.
      suppressBooleanAttributes: false,
    });
  }
  return builder;
}

/** JUnit XML: one testsuite per layer that has scenarios (per layer and profile with several
 * profiles), one testcase per scenario. */
export function renderJunit(result: RunResult): string {
  const suites = groupByLayer(result.scenarios).map(({ layer, profile, scenarios }) => ({
    // With several profiles the signature layer has one suite per profile.
    '@_name': layer === 'sig' && profile && result.profiles.length > 1 ? `${layer} (${profile})` : layer,
    ...counts(scenarios, scenarios.reduce((ms, s) => ms + scenarioMs(s), 0)),
    '@_timestamp': result.startedAt,
    testcase: scenarios.map(testcase),
    ...(result.warnings?.length ? { 'system-out': result.warnings.map((warning) => `warning: ${warning}`).join('\n') } : {}),
    // A target that died mid-run explains the errors: every suite carries it, as CI shows per suite.
    ...(result.targetExit ? { 'system-err': [`${result.targetExit.reason} while the scenarios ran; its last output:`, ...result.targetExit.output].join('\n') } : {}),
  }));
  return xmlBuilder().build({
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    testsuites: {
      '@_name': result.tool.name,
      ...counts(result.scenarios, result.durationMs),
      testsuite: suites,
    },
  });
}

/** Writes `outDir/junit.xml`; returns its path. */
export function writeJunit(result: RunResult, outDir: string): Promise<string> {
  return writeReport(outDir, JUNIT_FILE, renderJunit(result));
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function scenarioMs(scenario: ScenarioResult): number {
  return scenario.outcome?.ms ?? 0;
}

/** Inconclusive counts as a failure: CI must not go green when a rejection proved nothing. */
function counts(scenarios: readonly ScenarioResult[], ms: number): Counts {
  const number = (...kinds: JunitKind[]): number => scenarios.filter((s) => kinds.includes(junitKind(s))).length;
  return {
    '@_tests': scenarios.length,
    '@_failures': number('failure'),
    '@_errors': number('error'),
    '@_skipped': number('skipped'),
    '@_time': seconds(ms),
  };
}

type JunitKind = 'passed' | 'failure' | 'error' | 'skipped';

/** How CI must count a scenario: a failure the baseline expects is skipped (it does not fail the
 * run), an unexpected pass of a baselined scenario is a failure (it does). */
function junitKind(scenario: ScenarioResult): JunitKind {
  if (scenario.baseline?.status === 'expected-failure') return 'skipped';
  if (scenario.baseline?.status === 'unexpected-pass') return 'failure';
  const kinds: Record<VerdictKind, JunitKind> = { pass: 'passed', warn: 'passed', skip: 'skipped', fail: 'failure', inconclusive: 'failure', error: 'error' };
  return kinds[scenario.verdict];
}

function testcase(scenario: ScenarioResult): TestCaseNode {
  return {
    '@_classname': scenario.layer,
    '@_name': `${scenario.id} — ${scenario.title}`,
    '@_time': seconds(scenarioMs(scenario)),
    ...verdictElements(scenario),
  };
}

function verdictElements(scenario: ScenarioResult): VerdictElements {
  const { verdict, reason, baseline } = scenario;
  if (baseline && baseline.status !== 'not-run') {
    const message = `${describeMark(baseline)}; ${verdict}: ${reason}`;
    if (baseline.status === 'expected-failure') return { skipped: { '@_message': message } };
    return { failure: { ...problem(scenario), '@_message': message, '@_type': baseline.status } };
  }
  switch (verdict) {
    case 'pass':
      return {};
    case 'warn':
      return { 'system-out': `warn: ${reason}` };
    case 'skip':
      return { skipped: { '@_message': reason } };
    case 'fail':
    case 'inconclusive':
      return { failure: problem(scenario) };
    case 'error':
      return { error: problem(scenario) };
  }
}

function problem(scenario: ScenarioResult): Problem {
  const body = [
    `expected: ${scenario.expect}`,
    `observed: ${scenario.outcome?.detail ?? 'no outcome'}`,
    `reason: ${scenario.reason}`,
    ...fixesOf(scenario.remediation, scenario.profile).map(({ label, text }) => `${label}: ${text}`),
  ].join('\n');
  return { '@_message': scenario.reason, '@_type': scenario.verdict, '#text': body };
}
