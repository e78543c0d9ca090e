import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, processesWith } from './cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'whc-signals-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function until(condition: () => Promise<boolean>, deadlineMs: number): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`condition not met within ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a signal to the harness stops the target and removes the kit', () => {
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(signal, async () => {
      const marker = `whc-signal-${signal}-${process.pid}`;
      const project = mkdtempSync(join(scratch, 'project-'));
      const tmp = mkdtempSync(join(scratch, 'tmp-'));
      // A target that is started but never ready: the harness is waiting on it when the signal comes.
      const command = `node -e "setInterval(() => {}, 1000)" ${marker}`;
      writeFileSync(join(project, 'wh-conformance.config.json'), JSON.stringify({ target: { command, readyTimeoutMs: 30_000 } }));
      const cli = spawn(process.execPath, [CLI, 'run'], { cwd: project, env: { ...process.env, TMPDIR: tmp }, stdio: ['ignore', 'pipe', 'pipe'], timeout: 40_000 });
      const closed = once(cli, 'close');
      let stdout = '';
      cli.stdout.on('data', (c: Buffer) => (stdout += c.toString()));

      await until(async () => (await processesWith(marker)).length > 0, 10_000);
      expect(readdirSync(tmp).some((name) => name.startsWith('whc-kit-'))).toBe(true);
      cli.kill(signal);
      const [exitCode] = (await closed) as [number | null];

      expect(exitCode).toBe(code);
      expect(stdout).toContain(`${signal}: stopping the target and removing the kit`);
      expect(await processesWith(marker)).toEqual([]);
      expect(readdirSync(tmp)).toEqual([]);
    });
  }
});
