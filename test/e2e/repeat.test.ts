import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { leftovers, readReport, runCli, verdictsOf } from './cli.js';

const out = mkdtempSync(join(tmpdir(), 'whc-repeat-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('--repeat, the measuring aid', () => {
  it('sends each scenario N times, each copy judged and reported under an id of its own', async () => {
    const result = await runCli(['run', '--include', 'mtls.expired', '--repeat', '3', '--reporter', 'json', '--out', out]);
    expect(result.code).toBe(0);
    expect(verdictsOf(readReport(out))).toEqual({
      'mtls.valid-client-cert': 'pass',
      'mtls.expired': 'pass',
      'mtls.valid-client-cert.repeat-2': 'pass',
      'mtls.valid-client-cert.repeat-3': 'pass',
      'mtls.expired.repeat-2': 'pass',
      'mtls.expired.repeat-3': 'pass',
    });
    expect(leftovers(result)).toEqual([]);
  });

  it('takes 1 to 100: anything else is one line naming the flag, exit 2', async () => {
    const result = await runCli(['run', '--repeat', '0']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('wh-conformance: --repeat: expected a whole number of times to send each scenario, got 0\n');
    expect(leftovers(result)).toEqual([]);
  });
});
