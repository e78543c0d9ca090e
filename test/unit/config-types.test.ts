import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import { defineConfig, REPORTERS, type ConfigSchema, type ReporterName } from '../../harness/config/config.js';
import { CAPABILITIES, type Capability } from '../../harness/model.js';
import { PROFILE_NAMES } from '../../harness/profiles/index.js';
import { CONFIG_PROFILE_NAMES, type CapabilityName, type ReporterChoice, type UserConfig } from '../../harness/config/user-config.js';

// The @ts-expect-error lines are checked by `npm run typecheck` (run before the tests): each must
// be a type error, or the typecheck fails.

describe('the config type', () => {
  it('names exactly the profiles, capabilities and reporters the harness knows', () => {
    expect([...CONFIG_PROFILE_NAMES]).toEqual([...PROFILE_NAMES]);
    expectTypeOf<CapabilityName>().toEqualTypeOf<Capability>();
    expectTypeOf<ReporterChoice>().toEqualTypeOf<ReporterName>();
    expect(CAPABILITIES.length).toBe(5);
    expect(REPORTERS.length).toBe(5);
  });

  it('is input the schema accepts', () => {
    expectTypeOf<UserConfig>().toExtend<z.input<typeof ConfigSchema>>();
  });

  it('refuses a misspelt profile, capability or reporter, and two target kinds at once', () => {
    const configs = [
      defineConfig({ target: { command: 'node server.js' }, profile: 'stripe', capabilities: ['crl'], reporters: ['html'] }),
      defineConfig({ target: { image: 'listener:dev', command: ['server.js'], network: 'host' } }),
      defineConfig({ target: { url: 'https://listener:8443', allowRemote: true, serverCa: 'ca.pem' }, clientCa: { cert: 'c.pem', key: 'k.pem' }, signingSecretEnv: 'SECRET' }),
      // @ts-expect-error a profile that does not exist
      defineConfig({ target: { command: 'x' }, profile: 'stripee' }),
      // @ts-expect-error a capability that does not exist
      defineConfig({ target: { command: 'x' }, capabilities: ['mind-reading'] }),
      // @ts-expect-error a reporter that does not exist
      defineConfig({ target: { command: 'x' }, reporters: ['pdf'] }),
      // @ts-expect-error command and url together
      defineConfig({ target: { command: 'x', url: 'https://127.0.0.1:8443' } }),
      // @ts-expect-error image and dockerfile together
      defineConfig({ target: { image: 'x', dockerfile: 'Dockerfile' } }),
      // @ts-expect-error no target kind at all
      defineConfig({ target: { path: '/hooks' } }),
      // @ts-expect-error cwd is for command targets
      defineConfig({ target: { image: 'x', cwd: '/app' } }),
    ];
    expect(configs).toHaveLength(10);
  });
});
