import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { leftovers, processesWith, runCli } from './cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'whc-bad-input-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function project(name: string, config?: { file: string; text: string }): string {
  const dir = join(scratch, name);
  mkdtempSync(`${dir}-`);
  const path = mkdtempSync(`${dir}-p`);
  if (config) writeFileSync(join(path, config.file), config.text);
  return path;
}

/** The error is one line naming the problem (details such as output follow as `  | ` lines). */
function errorLine(stderr: string): string {
  const [first, ...rest] = stderr.trimEnd().split('\n');
  for (const line of rest) expect(line).toMatch(/^ {2}\| /);
  return first ?? '';
}

describe('bad input: a clear one-line error, exit 2, nothing left behind', () => {
  it('no config file and no --command', async () => {
    const result = await runCli(['run'], { cwd: project('empty') });
    expect(result.code).toBe(2);
    expect(errorLine(result.stderr)).toMatch(/^wh-conformance: no wh-conformance\.config\.ts, .* and no --command or --url: write a config file/);
    expect(leftovers(result)).toEqual([]);
  });

  it('an invalid field in the config file names the file, the field and the expectation', async () => {
    const cwd = project('invalid', { file: 'wh-conformance.config.json', text: JSON.stringify({ target: { command: 'true', port: 'abc' } }) });
    const result = await runCli(['run'], { cwd });
    expect(result.code).toBe(2);
    expect(errorLine(result.stderr)).toBe('wh-conformance: wh-conformance.config.json: target.port: expected a port number, got "abc"');
    expect(leftovers(result)).toEqual([]);
  });

  it('an invalid flag names the flag', async () => {
    const result = await runCli(['run', '--port', 'abc']);
    expect(result.code).toBe(2);
    expect(errorLine(result.stderr)).toMatch(/^wh-conformance: --port: expected a port number, got "abc"$/);
    expect(leftovers(result)).toEqual([]);
  });

  it('a command that exits at once: its exit code and last output', async () => {
    const marker = `whc-exits-${process.pid}`;
    const result = await runCli(['run', '--command', `node -e "console.error('boom: no config'); process.exit(3)" ${marker}`]);
    expect(result.code).toBe(2);
    expect(errorLine(result.stderr)).toBe('wh-conformance: target exited with code 3 before it was ready');
    expect(result.stderr).toContain('  | boom: no config');
    expect(await processesWith(marker)).toEqual([]);
    expect(leftovers(result)).toEqual([]);
  });

  it('a command that never listens: stopped at the readiness deadline, process group gone', async () => {
    const marker = `whc-never-listens-${process.pid}`;
    const command = `node -e "setInterval(() => {}, 1000)" ${marker} & node -e "setInterval(() => {}, 1000)" ${marker}; wait`;
    const cwd = project('never', { file: 'wh-conformance.config.json', text: JSON.stringify({ target: { command, readyTimeoutMs: 1500 } }) });
    const result = await runCli(['run'], { cwd });
    expect(result.code).toBe(2);
    expect(errorLine(result.stderr)).toMatch(/^wh-conformance: target never completed a handshake on https:\/\/127\.0\.0\.1:\d+: not ready within 1500 ms \(last attempt: ECONNREFUSED\); does it listen on WHC_HOST:WHC_PORT\?/);
    expect(await processesWith(marker)).toEqual([]);
    expect(leftovers(result)).toEqual([]);
  });

  it('--url to a closed port', async () => {
    const kit = mkdtempSync(join(scratch, 'kit-'));
    const written = await runCli(['certs', '--out', kit]);
    expect(written.code).toBe(0);
    expect(leftovers(written)).toEqual([]);
    const result = await runCli(['run', '--url', 'https://127.0.0.1:9', '--certs', kit]);
    expect(result.code).toBe(2);
    expect(errorLine(result.stderr)).toMatch(/^wh-conformance: no listener ready at https:\/\/127\.0\.0\.1:9: not ready within 3000 ms \(last attempt: ECONNREFUSED\); start it first/);
    expect(leftovers(result)).toEqual([]);
  });

  it('--url that is not loopback is refused before anything starts', async () => {
    const result = await runCli(['run', '--url', 'https://example.com', '--certs', scratch]);
    expect(result.code).toBe(2);
    expect(errorLine(result.stderr)).toMatch(/^wh-conformance: --url: expected a loopback URL/);
    expect(leftovers(result)).toEqual([]);
  });

  it('an unknown option is a usage error with exit 2', async () => {
    const result = await runCli(['run', '--frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown option '--frobnicate'/);
    expect(leftovers(result)).toEqual([]);
  });
});
