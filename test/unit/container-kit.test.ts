import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { extract, pack } from 'tar-stream';
import { buildPki, writeKit } from '../../certs/index.js';
import { CONTAINER_KIT_DIR, fileFromArchive, kitArchive, resolveOwner } from '../../harness/target/container-kit.js';
import { generateSecrets } from '../../harness/kit/secrets.js';

const PASSWD = ['root:x:0:0:root:/root:/bin/bash', 'node:x:1000:1000::/home/node:/bin/sh', 'nonroot:x:65532:65533::/home/nonroot:/sbin/nologin', ''].join('\n');

describe('resolveOwner: the numeric owner of an image User, as Docker resolves it', () => {
  it.each([
    ['', undefined, { uid: 0, gid: 0 }],
    ['node', PASSWD, { uid: 1000, gid: 1000 }],
    ['nonroot', PASSWD, { uid: 65532, gid: 65533 }],
    ['1000', PASSWD, { uid: 1000, gid: 1000 }],
    ['4242', PASSWD, { uid: 4242, gid: 0 }],
    ['4242', undefined, { uid: 4242, gid: 0 }],
    ['4242:77', undefined, { uid: 4242, gid: 77 }],
    ['node:50', PASSWD, { uid: 1000, gid: 50 }],
    ['node:staff', PASSWD, { uid: 1000, gid: 1000 }],
  ])('%j', (user, passwd, owner) => {
    expect(resolveOwner(user, passwd)).toEqual(owner);
  });

  it('a user name the image does not define is an error, not root', () => {
    expect(resolveOwner('app', PASSWD)).toEqual({ error: 'runs as user "app", which its /etc/passwd does not define' });
    expect(resolveOwner('app', undefined)).toEqual({ error: 'runs as user "app" but has no /etc/passwd' });
  });
});

interface Entry {
  name: string;
  mode: number;
  uid: number;
  gid: number;
  type: string;
}

async function entriesOf(archive: Readable): Promise<Entry[]> {
  const entries = extract();
  archive.pipe(entries);
  const found: Entry[] = [];
  for await (const entry of entries) {
    const { name, mode = 0, uid = -1, gid = -1, type } = entry.header;
    found.push({ name, mode: mode & 0o777, uid, gid, type: type ?? 'file' });
    entry.resume();
  }
  return found;
}

describe('kitArchive: the kit as the container receives it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'whc-container-kit-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`unpacks at ${CONTAINER_KIT_DIR}, owned by the container user, with the kit's modes (keys 0600, folders 0700)`, async () => {
    const kitDir = join(dir, 'kit');
    await writeKit(kitDir, await buildPki({ now: new Date(), identities: ['valid'], revocationOrigin: 'http://127.0.0.1:9' }), generateSecrets());
    const entries = await entriesOf(await kitArchive(kitDir, { uid: 10001, gid: 10002 }));
    const byName = new Map(entries.map((e) => [e.name.replace(/\/$/, ''), e]));

    expect(byName.get('whc')).toMatchObject({ type: 'directory', mode: 0o755, uid: 0 });
    expect(byName.get('whc/certs')).toMatchObject({ type: 'directory', mode: 0o700, uid: 10001, gid: 10002 });
    expect(byName.get('whc/certs/clients')).toMatchObject({ type: 'directory', mode: 0o700, uid: 10001 });
    for (const key of ['whc/certs/server-key.pem', 'whc/certs/secrets.json', 'whc/certs/clients/valid-key.pem']) {
      expect(byName.get(key)).toMatchObject({ type: 'file', mode: 0o600, uid: 10001, gid: 10002 });
    }
    for (const cert of ['whc/certs/server.pem', 'whc/certs/client-ca.pem', 'whc/certs/crl.pem']) {
      expect(byName.get(cert)).toMatchObject({ type: 'file', mode: 0o644, uid: 10001 });
    }
    expect(entries.every((e) => e.name === 'whc' || e.name.startsWith('whc/certs'))).toBe(true);
  });
});

describe('fileFromArchive', () => {
  it('reads one file out of an archive like the one the engine sends for /etc/passwd', async () => {
    const tar = pack();
    tar.entry({ name: 'passwd' }, PASSWD);
    tar.finalize();
    expect(await fileFromArchive(tar, 'passwd')).toBe(PASSWD);
  });

  it('is undefined when the archive lacks the file', async () => {
    const tar = pack();
    tar.entry({ name: 'group' }, 'root:x:0:\n');
    tar.finalize();
    expect(await fileFromArchive(tar, 'passwd')).toBeUndefined();
  });
});
