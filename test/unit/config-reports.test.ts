import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../harness/config/config.js';

// The config fields and flags of issue 5: report formats, baseline, shard.

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'whc-config-reports-'));
  await mkdir(join(dir, 'ci'));
  await writeFile(join(dir, 'ci', 'whc.json'), JSON.stringify({ target: { command: 'node x.js' }, baseline: 'known.json', reporters: ['html', 'markdown'] }));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadConfig: reports, baseline and shard', () => {
  it('takes html and markdown reporters, and a baseline relative to the config file', async () => {
    const config = await loadConfig({ config: 'ci/whc.json' }, dir);
    expect(config.reporters).toEqual(['console', 'html', 'markdown']);
    expect(config.baseline).toBe(join(dir, 'ci', 'known.json'));
    expect(config.updateBaseline).toBe(false);
    expect(config.shard).toBeUndefined();
  });

  it('takes --baseline relative to the cwd, and --update-baseline without one writes the default file', async () => {
    expect((await loadConfig({ config: 'ci/whc.json', baseline: 'other.json' }, dir)).baseline).toBe(join(dir, 'other.json'));
    const update = await loadConfig({ command: 'node x.js', updateBaseline: true }, dir);
    expect(update).toMatchObject({ baseline: join(dir, 'wh-conformance.baseline.json'), updateBaseline: true });
    expect((await loadConfig({ command: 'node x.js' }, dir)).baseline).toBeNull();
  });

  it('reads --shard and names a bad one', async () => {
    expect((await loadConfig({ command: 'node x.js', shard: '2/4' }, dir)).shard).toEqual({ index: 2, count: 4 });
    await expect(loadConfig({ command: 'node x.js', shard: '5/4' }, dir)).rejects.toThrow('--shard: expected INDEX/COUNT with 1 ≤ INDEX ≤ COUNT, such as 1/3, got "5/4"');
  });

  it('names an unknown reporter with the choices', async () => {
    await expect(loadConfig({ command: 'node x.js', reporter: ['pdf'] }, dir)).rejects.toThrow('--reporter: expected reporters among console, json, junit, html, markdown, got "pdf"');
  });
});
