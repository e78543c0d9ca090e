import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildPki, NEXT_ROOT_IDENTITY, revocationUrls, writeKit } from '../../certs/index.js';
import { writeRotationTrust } from '../../harness/kit/rotation-trust.js';
import { generateSecrets } from '../../harness/kit/secrets.js';

const dir = mkdtempSync(join(tmpdir(), 'whc-rotation-kit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeRotationTrust', () => {
  it("writes the next root's client key under the kit's own rule: created anew, 0600, even over a readable file", async () => {
    const revocation = revocationUrls('http://127.0.0.1:9');
    const paths = await writeKit(dir, await buildPki({ now: new Date(), revocationOrigin: revocation.origin }), generateSecrets());
    // A key file left readable by others (an earlier kit, a careless copy) must not keep its mode.
    writeFileSync(paths.clientKey(NEXT_ROOT_IDENTITY), 'stale', { mode: 0o644 });
    const kits = await writeRotationTrust({ paths, secrets: generateSecrets(), keys: undefined, eventsFile: undefined, revocation, serverCaFile: paths.serverCa });
    expect(statSync(paths.clientKey(NEXT_ROOT_IDENTITY)).mode & 0o777).toBe(0o600);
    expect(statSync(paths.clientCert(NEXT_ROOT_IDENTITY)).mode & 0o777).toBe(0o644);
    expect(statSync(kits.new.paths.clientCa).mode & 0o777).toBe(0o644);
    // The cutover's readiness probe presents the client under the next root.
    expect(kits.new.paths.clientKey('valid')).toBe(paths.clientKey(NEXT_ROOT_IDENTITY));
  });
});
