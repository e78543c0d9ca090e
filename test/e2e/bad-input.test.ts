import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { leftovers, processesWith, readReport, REPO, runCli, SECURE } from './cli.js';

const FLOODING = join(REPO, 'test/fixtures/flooding-listener.mjs');

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

// Independent runs, most of them waiting (deadlines, a config that never loads): side by side.
describe.concurrent('bad input: a clear one-line error, exit 2, nothing left behind', () => {
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
    // The suite started while the listener did; none of its scenarios is reported as run.
    expect(result.stdout.split('\n').filter((line) => / (pass|warn|fail|error) \(\d+ failing/.test(line))).toEqual([]);
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

  // The target must not even start: its command would leave this file.
  const sentinel = (name: string) => {
    const file = join(scratch, `started-${name}-${process.pid}`);
    return { file, command: `touch ${file}; node ${SECURE}` };
  };

  it('--out that cannot be created fails before the target starts, naming it', async () => {
    const { file, command } = sentinel('proc');
    const result = await runCli(['run', '--command', command, '--reporter', 'json', '--out', '/proc/whc-no/such'], { deadlineMs: 20_000 });
    expect(result.code).toBe(2);
    expect(errorLine(result.stderr)).toBe('wh-conformance: report directory /proc/whc-no/such: cannot create /proc/whc-no (ENOENT): pass --out (outputDir) a directory the run can write to');
    expect(existsSync(file)).toBe(false);
    expect(leftovers(result)).toEqual([]);
  });

  it('--out naming a file, or with a report name taken by a directory, fails before the target starts', async () => {
    const { file, command } = sentinel('file');
    const taken = join(scratch, 'taken.txt');
    writeFileSync(taken, 'not a directory');
    const onFile = await runCli(['run', '--command', command, '--reporter', 'json', '--out', taken]);
    expect(onFile.code).toBe(2);
    expect(errorLine(onFile.stderr)).toBe(`wh-conformance: report directory ${taken}: is a file, not a directory: pass --out (outputDir) a directory the run can write to`);
    const out = join(scratch, 'out-with-dir');
    mkdirSync(join(out, 'junit.xml'), { recursive: true });
    const onDir = await runCli(['run', '--command', command, '--reporter', 'junit', '--out', out]);
    expect(onDir.code).toBe(2);
    expect(errorLine(onDir.stderr)).toBe(`wh-conformance: report directory ${out}: junit.xml in it is a directory, where the report file goes: pass --out (outputDir) a directory the run can write to`);
    expect(existsSync(file)).toBe(false);
    expect(leftovers(onFile)).toEqual([]);
    expect(leftovers(onDir)).toEqual([]);
  });

  it('a report directory made for a run that then fails is removed again', async () => {
    const out = join(scratch, 'made', 'deep');
    const result = await runCli(['run', '--command', 'exit 3', '--reporter', 'json', '--out', out]);
    expect(result.code).toBe(2);
    expect(existsSync(join(scratch, 'made'))).toBe(false);
    expect(leftovers(result)).toEqual([]);
  });

  it('--baseline naming a directory, or in a directory that does not exist, names the path', async () => {
    const { file, command } = sentinel('baseline');
    const dir = await runCli(['run', '--command', command, '--baseline', scratch]);
    expect(dir.code).toBe(2);
    expect(errorLine(dir.stderr)).toBe(`wh-conformance: baseline ${scratch}: is a directory: pass --baseline the path of a baseline file`);
    const missing = join(scratch, 'no-such-dir', 'baseline.json');
    const update = await runCli(['run', '--command', command, '--baseline', missing, '--update-baseline']);
    expect(update.code).toBe(2);
    expect(errorLine(update.stderr)).toBe(`wh-conformance: baseline ${missing}: its directory ${join(scratch, 'no-such-dir')} does not exist: pass --baseline the path of a baseline file`);
    expect(existsSync(file)).toBe(false);
    expect(leftovers(dir)).toEqual([]);
    expect(leftovers(update)).toEqual([]);
  });

  it('timeouts beyond what a timer can wait (2^31-1 ms) are refused, flag or config field', async () => {
    for (const flag of ['--timeout', '--run-timeout']) {
      const result = await runCli(['run', '--command', 'true', flag, '3000000000']);
      expect(result.code).toBe(2);
      expect(errorLine(result.stderr)).toMatch(new RegExp(`^wh-conformance: ${flag}: expected a number of milliseconds .*, at most 2147483647 \\(about 24\\.8 days\\), got 3000000000$`));
      expect(leftovers(result)).toEqual([]);
    }
    const cwd = project('ready', { file: 'wh-conformance.config.json', text: JSON.stringify({ target: { command: 'true', readyTimeoutMs: 2 ** 31 } }) });
    const ready = await runCli(['run'], { cwd });
    expect(errorLine(ready.stderr)).toBe('wh-conformance: wh-conformance.config.json: target.readyTimeoutMs: expected a number of milliseconds, at most 2147483647 (about 24.8 days), got 2147483648');
    expect(leftovers(ready)).toEqual([]);
  });

  it('a TypeScript config with a syntax error names file:line:col', async () => {
    const cwd = project('syntax', { file: 'wh-conformance.config.ts', text: "export default {\n  target: { command: 'node x.mjs' ,, },\n};\n" });
    const result = await runCli(['run'], { cwd });
    expect(result.code).toBe(2);
    expect(errorLine(result.stderr)).toBe(`wh-conformance: wh-conformance.config.ts: cannot load the config: ParseError: Unexpected token at ${join(cwd, 'wh-conformance.config.ts')}:2:35`);
    expect(leftovers(result)).toEqual([]);
  });

  it('a config whose top-level await never settles is stopped at the load deadline (10 s), one line, exit 2', async () => {
    const cwd = project('await', { file: 'wh-conformance.config.mjs', text: "await new Promise(() => {});\nexport default { target: { command: 'true' } };\n" });
    const result = await runCli(['run'], { cwd, deadlineMs: 30_000 });
    expect(result.code).toBe(2);
    expect(errorLine(result.stderr)).toBe('wh-conformance: wh-conformance.config.mjs: the config did not finish loading within 10 s: does it await something that never settles?');
    expect(leftovers(result)).toEqual([]);
  }, 40_000);

  it('--url without --certs blames the flags, not the config file in the directory', async () => {
    const result = await runCli(['run', '--url', 'http://127.0.0.1:9/webhook'], { cwd: REPO });
    expect(result.code).toBe(2);
    expect(errorLine(result.stderr)).toBe(
      'wh-conformance: --url: a listener that is already running needs `certs` (--certs DIR), the kit it was started with (write one with `wh-conformance certs --out DIR`); or, for one with its own trust, --signing-secret-env NAME (its signing secret)',
    );
    expect(leftovers(result)).toEqual([]);
  });

  it('a GITHUB_STEP_SUMMARY that cannot be written names it', async () => {
    const result = await runCli(['run', '--include', 'mtls.expired'], { cwd: REPO, env: { GITHUB_STEP_SUMMARY: '/proc/whc-no-such-summary' } });
    expect(result.code).toBe(2);
    expect(errorLine(result.stderr)).toMatch(/^wh-conformance: cannot append the job summary to GITHUB_STEP_SUMMARY \(\/proc\/whc-no-such-summary\): ENOENT/);
    expect(leftovers(result)).toEqual([]);
  });

  // Node's stdio 'pipe' is a socket, and open("/dev/stdout") on a socket fails with ENXIO.
  it('a command that opens /dev/stdout and /dev/stderr can: they are real pipes, and their lines are kept', async () => {
    const result = await runCli(['run', '--command', 'echo to-stdout > /dev/stdout && echo to-stderr > /dev/stderr && exit 3']);
    expect(result.code).toBe(2);
    expect(errorLine(result.stderr)).toBe('wh-conformance: target exited with code 3 before it was ready');
    expect(result.stderr).toContain('  | to-stdout\n');
    expect(result.stderr).toContain('  | to-stderr\n');
    expect(leftovers(result)).toEqual([]);
  });
});

describe('a listener that floods its output with one endless line', () => {
  it('before it is ready: the line is cut with a mark, the error stays small', async () => {
    const result = await runCli(['run', '--command', `node ${FLOODING}`], { env: { FLOOD_AFTER: '0' } });
    expect(result.code).toBe(2);
    expect(errorLine(result.stderr)).toBe('wh-conformance: target exited with code 3 before it was ready');
    expect(result.stderr).toContain(`  | ${'x'.repeat(1024)}…[cut: ${5 * 1024 * 1024 - 1024} more bytes]\n`);
    expect(result.stderr.length).toBeLessThan(2000);
    expect(leftovers(result)).toEqual([]);
  });

  it('mid-run: every report keeps the cut line, none grows with the flood', async () => {
    const out = join(scratch, 'flood-reports');
    const result = await runCli(['run', '--command', `node ${FLOODING}`, '--reporter', 'json,junit,html,markdown', '--out', out], { env: { FLOOD_AFTER: '10' } });
    expect(result.code).toBe(2);
    const report = readReport(out);
    expect(report.targetExit?.reason).toBe('target exited with code 3');
    // The listener's own log lines may come between the flood's chunks: each part is cut on its own.
    const output = report.targetExit?.output ?? [];
    expect(output.some((line) => /^x{1024}…\[cut: \d{6,} more bytes\]$/.test(line))).toBe(true);
    for (const line of output) expect(line.length).toBeLessThanOrEqual(1024 + '…[cut: 5242880 more bytes]'.length);
    for (const file of ['wh-conformance.json', 'junit.xml', 'index.html', 'summary.md']) expect([file, statSync(join(out, file)).size < 400_000]).toEqual([file, true]);
    expect(result.stdout.length).toBeLessThan(60_000);
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toContain('…[cut: ');
    expect(leftovers(result)).toEqual([]);
  });
});
