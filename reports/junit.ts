import { XMLBuilder } from 'fast-xml-parser';
import type { RunResult, ScenarioResult, VerdictKind } from '../harness/model.js';
import { groupByLayer } from './group.js';
import { writeReport } from './write.js';

export const JUNIT_FILE = 'junit.xml';

// The shapes handed to XMLBuilder: `@_` keys are attributes, `#text` is an element's text.
interface Problem {
  '@_message': string;
  '@_type': VerdictKind;
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

const builder = new XMLBuilder({
  ignoreAttributes: false,
  format: true,
  suppressEmptyNode: true,
  // Without this an attribute whose value is "true" would be written bare.
  suppressBooleanAttributes: false,
});

/** JUnit XML: one testsuite per layer that has scenarios, one testcase per scenario. */
export function renderJunit(result: RunResult): string {
  const suites = groupByLayer(result.scenarios).map(({ layer, scenarios }) => ({
    '@_name': layer,
    ...counts(scenarios, scenarios.reduce((ms, s) => ms + scenarioMs(s), 0)),
    '@_timestamp': result.startedAt,
    testcase: scenarios.map(testcase),
  }));
  return builder.build({
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
  const number = (...kinds: VerdictKind[]): number => scenarios.filter((s) => kinds.includes(s.verdict)).length;
  return {
    '@_tests': scenarios.length,
    '@_failures': number('fail', 'inconclusive'),
    '@_errors': number('error'),
    '@_skipped': number('skip'),
    '@_time': seconds(ms),
  };
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
  const { verdict, reason } = scenario;
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
  ].join('\n');
  return { '@_message': scenario.reason, '@_type': scenario.verdict, '#text': body };
}
