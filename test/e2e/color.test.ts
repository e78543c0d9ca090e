import { describe, expect, it } from 'vitest';
import { runCli } from './cli.js';

const ANSI = /\x1b\[/;
// runCli sets NO_COLOR=1; an empty NO_COLOR counts as unset.
const piped = (env: Record<string, string>) => runCli(['list'], { env: { NO_COLOR: '', ...env } });

describe('colours on stdout', () => {
  it('none when stdout is a pipe, also with CI=true', async () => {
    const env = { CI: 'true', GITHUB_ACTIONS: 'true' };
    const { code, stdout } = await piped(env);
    expect(code).toBe(0);
    expect(stdout).toContain('mtls.expired');
    expect(stdout).not.toMatch(ANSI);
  });
  it('FORCE_COLOR turns them on in a pipe, NO_COLOR beats it', async () => {
    expect((await piped({ FORCE_COLOR: '1' })).stdout).toMatch(ANSI);
    expect((await piped({ FORCE_COLOR: '1', NO_COLOR: '1' })).stdout).not.toMatch(ANSI);
  });
});
