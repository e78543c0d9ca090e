import { spawnSync } from 'node:child_process';
import { closeSync, constants, openSync, rmdirSync, unlinkSync } from 'node:fs';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { HarnessError } from '../errors.js';
import { makeRunDir } from '../kit/index.js';

/** A target's stdout and stderr as real pipes: the write ends to give the child, the read ends as streams. */
export interface OutputPipes {
  /** File descriptors for the child's fd 1 and 2; close them once it is spawned. */
  writeEnds: [number, number];
  stdout: Socket;
  stderr: Socket;
  closeWriteEnds(): void;
}

/** Node's `stdio: 'pipe'` gives a child Unix sockets, and a program that opens `/dev/stdout` or
 * `/dev/stderr` (nginx's `access_log /dev/stdout`, HAProxy, Caddy) fails on a socket with ENXIO. A
 * FIFO is a real pipe: made, opened at both ends and unlinked at once, it leaves nothing on disk. */
export function openOutputPipes(): OutputPipes {
  const dir = makeRunDir('out');
  const paths = [join(dir, 'stdout'), join(dir, 'stderr')];
  try {
    const made = spawnSync('mkfifo', ['-m', '600', ...paths], { encoding: 'utf8' });
    if (made.status !== 0) throw new HarnessError(`cannot make the pipes for the target's output: mkfifo ${made.error?.message ?? made.stderr.trim()}`);
    // Read ends first, non-blocking: opening a FIFO's write end blocks until it has a reader.
    const reads = paths.map((path) => openSync(path, constants.O_RDONLY | constants.O_NONBLOCK));
    const writes = paths.map((path) => openSync(path, constants.O_WRONLY));
    const [stdout, stderr] = reads.map((fd) => new Socket({ fd, readable: true, writable: false }));
    const [out, err] = writes;
    if (!stdout || !stderr || out === undefined || err === undefined) throw new HarnessError('cannot open the pipes for the target output');
    let open = true;
    return {
      writeEnds: [out, err],
      stdout,
      stderr,
      closeWriteEnds: () => {
        if (open) for (const fd of writes) closeSync(fd);
        open = false;
      },
    };
  } finally {
    for (const path of paths) {
      try {
        unlinkSync(path);
      } catch {
        // not made
      }
    }
    rmdirSync(dir);
  }
}
