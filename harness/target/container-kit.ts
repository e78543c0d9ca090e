import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { extract, pack } from 'tar-stream';

/** Where the kit is copied inside a container (docs/ARCHITECTURE.md, the target contract). */
export const CONTAINER_KIT_DIR = '/whc/certs';
/** Where the events file (capability events-file) is mounted, beside the kit: the listener appends
 * to the host's file itself, so the side-effect probe reads what it wrote. */
export const CONTAINER_EVENTS_FILE = '/whc/events.log';

/** Who owns the kit inside the container. */
export interface Owner {
  uid: number;
  gid: number;
}

const NUMERIC = /^\d+$/;

/**
 * The numeric owner a container runs as, from its `User` (`''`, `name`, `uid`, `name:group`,
 * `uid:gid`) and its /etc/passwd, the way Docker resolves it. Only the uid decides whether the
 * 0600 keys are readable, so a group name keeps the user's primary group. Pure.
 */
export function resolveOwner(user: string, passwd: string | undefined): Owner | { error: string } {
  if (user === '') return { uid: 0, gid: 0 };
  const [name = '', group] = user.split(':');
  const entries = (passwd ?? '').split('\n').map((line) => line.split(':'));
  const entry = entries.find((fields) => (NUMERIC.test(name) ? fields[2] === name : fields[0] === name));
  if (!NUMERIC.test(name) && !entry) {
    return { error: passwd === undefined ? `runs as user "${name}" but has no /etc/passwd` : `runs as user "${name}", which its /etc/passwd does not define` };
  }
  const uid = Number(NUMERIC.test(name) ? name : entry?.[2]);
  const gid = group !== undefined && NUMERIC.test(group) ? Number(group) : Number(entry?.[3] ?? 0);
  return { uid, gid: Number.isInteger(gid) ? gid : 0 };
}

/** The text of `file` in a tar archive (as Docker's archive endpoint returns it), or undefined. */
export async function fileFromArchive(archive: AsyncIterable<unknown>, file: string): Promise<string | undefined> {
  const entries = extract();
  Readable.from(archive).pipe(entries);
  let text: string | undefined;
  for await (const entry of entries) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    if (entry.header.name === file && text === undefined) text = Buffer.concat(chunks).toString('utf8');
  }
  return text;
}

/**
 * The kit as a tar archive to unpack at `/`: `whc/certs/…` owned by the container's user, every
 * file with its mode from the kit (directory 0700, keys and secrets 0600), so a non-root listener
 * reads its key and nobody else can.
 */
export async function kitArchive(kitDir: string, owner: Owner): Promise<Readable> {
  const tar = pack();
  const target = CONTAINER_KIT_DIR.slice(1);
  tar.entry({ name: target.split('/')[0] ?? target, type: 'directory', mode: 0o755, uid: 0, gid: 0 });
  tar.entry({ name: target, type: 'directory', mode: (await stat(kitDir)).mode & 0o777, ...owner });
  const names = (await readdir(kitDir, { recursive: true })).sort();
  for (const name of names) {
    const path = join(kitDir, name);
    const info = await stat(path);
    const header = { name: `${target}/${name}`, mode: info.mode & 0o777, ...owner };
    if (info.isDirectory()) tar.entry({ ...header, type: 'directory' });
    else tar.entry({ ...header, type: 'file' }, await readFile(path));
  }
  tar.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of tar) chunks.push(chunk as Buffer);
  return Readable.from([Buffer.concat(chunks)]);
}
