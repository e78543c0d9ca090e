import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeDeadRunDirs } from '../../harness/kit/run-dirs.js';

const dir = mkdtempSync(join(tmpdir(), 'whc-run-dirs-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('removeDeadRunDirs', () => {
  it('removes what dead runs left, and nothing of live runs or kept kits', () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    const live = spawn('sleep', ['30']);
    try {
      const names = [`whc-kit-${dead}-Ab12Cd`, `whc-vitest-${dead}-Zz9yX8`, `whc-out-${dead}-aaaaaa`, `whc-kit-${live.pid}-Ab12Cd`, `whc-kit-${process.pid}-Ab12Cd`, 'whc-kit-Ab12Cd', 'other-dir'];
      for (const name of names) mkdirSync(join(dir, name, 'clients'), { recursive: true });
      expect(removeDeadRunDirs(dir).sort()).toEqual([`whc-kit-${dead}-Ab12Cd`, `whc-out-${dead}-aaaaaa`, `whc-vitest-${dead}-Zz9yX8`]);
      expect(readdirSync(dir).sort()).toEqual([`whc-kit-${live.pid}-Ab12Cd`, `whc-kit-${process.pid}-Ab12Cd`, 'whc-kit-Ab12Cd', 'other-dir'].sort());
    } finally {
      live.kill('SIGKILL');
    }
  });
});
