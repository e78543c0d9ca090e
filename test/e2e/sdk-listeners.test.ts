import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makePlan } from '../../harness/plan/plan.js';
import { findProfile } from '../../harness/profiles/index.js';
import { CATALOG } from '../../suites/catalog/index.js';
import { SDK_LISTENERS, SDK_RUN_ARGS, SDK_SCOPE } from '../fixtures/sdk-listeners/catalog.js';
import { leftovers, readReport, REPO, runCli, verdictsOf } from './cli.js';

// Each provider's official SDK as a target: the deliveries it accepts must be the harness's valid
// ones, the negatives it is meant to catch must pass, and what it lets through must be reported.

const out = mkdtempSync(join(tmpdir(), 'whc-sdk-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('listeners on the providers\' own SDKs', () => {
  for (const listener of SDK_LISTENERS) {
    it(`${listener.profile} on ${listener.sdk}`, async () => {
      const dir = join(out, listener.profile);
      const result = await runCli(['run', '--command', `node ${join(REPO, listener.file)}`, '--profile', listener.profile, ...SDK_RUN_ARGS, '--reporter', 'json', '--out', dir], { deadlineMs: 90_000 });
      const report = readReport(dir);
      const gaps = findProfile(listener.profile)?.sdkGaps ?? {};
      const plan = makePlan(CATALOG, { mtls: true, profile: listener.profile, capabilities: ['events-file'], include: SDK_SCOPE, exclude: [] });
      const expected = Object.fromEntries([
        ...plan.run.map((s) => [s.id, s.id in gaps ? 'fail' : 'pass'] as const),
        ...plan.skipped.map(({ scenario }) => [scenario.id, 'skip'] as const),
      ]);
      expect(verdictsOf(report)).toEqual(expected);
      expect(Object.keys(gaps).filter((id) => !plan.run.some((s) => s.id === id))).toEqual([]);
      expect(result.code).toBe(Object.keys(gaps).length > 0 ? 1 : 0);
      // What the SDK lets through is reported as accepted, with the check to add as the fix.
      for (const [id, fix] of Object.entries(gaps)) {
        expect(report.scenarios.find((s) => s.id === id), id).toMatchObject({ reason: expect.stringMatching(/^accepted \(HTTP 200\)/), remediation: { code: fix } });
      }
      expect(leftovers(result)).toEqual([]);
    });
  }
});

describe('a verified delivery the listener does not handle', () => {
  it('a router with no route for the event type: sig.valid fails as verified but not handled (404)', async () => {
    const dir = join(out, 'router');
    const router = join(REPO, 'test/fixtures/sdk-listeners/router.mjs');
    const result = await runCli(['run', '--command', `node ${router}`, '--profile', 'standard-webhooks', '--include', 'sig.valid', '--reporter', 'json', '--out', dir], { deadlineMs: 60_000 });
    const valid = readReport(dir).scenarios.find((s) => s.id === 'sig.valid');
    expect(valid).toMatchObject({ verdict: 'fail', reason: expect.stringMatching(/^verified but not handled: HTTP 404; the listener has no handler/) });
    expect(result.code).toBe(1);
    expect(leftovers(result)).toEqual([]);
  });
});

describe('the SDK listeners\' catalog', () => {
  it('names each SDK at the version package.json pins', async () => {
    const { devDependencies } = JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    for (const { sdk } of SDK_LISTENERS.filter((l) => !l.sdk.includes('documented'))) {
      const [name = '', version] = sdk.split(' ');
      expect(devDependencies[name], sdk).toBe(version);
    }
  });
});
