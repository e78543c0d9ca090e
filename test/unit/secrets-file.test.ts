import { describe, expect, it } from 'vitest';
import { generateSecrets, keysFor, secretsEntry } from '../../harness/kit/secrets.js';

// secrets.json is a contract users' listeners read: each profile's `secret` (an asymmetric
// profile's private key) and `publicKey`. In memory the harness calls what it signs with a signingKey.
describe('secrets.json entries', () => {
  it('keep the on-disk names secret and publicKey', () => {
    const file = generateSecrets();
    expect(Object.keys(file.profiles.github ?? {})).toEqual(['secret']);
    expect(Object.keys(file.profiles.discord ?? {}).sort()).toEqual(['publicKey', 'secret']);
    expect(secretsEntry({ signingKey: 'k', publicKey: 'p' })).toEqual({ secret: 'k', publicKey: 'p' });
  });

  it('read back as the signing key and the public key', () => {
    const file = { profiles: { discord: { secret: 'seed', publicKey: 'pub' }, github: { secret: 's' } } };
    expect(keysFor(file, 'discord', 'secrets.json')).toEqual({ signingKey: 'seed', publicKey: 'pub' });
    expect(keysFor(file, 'github', 'secrets.json')).toEqual({ signingKey: 's' });
  });
});
