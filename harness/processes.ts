import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

// What the harness asks the system about processes: which are alive, which belong to a process
// group, which hold a port. Read from /proc on Linux; elsewhere only kill(pid, 0) answers, which
// takes an unreaped zombie for a live process.

interface ProcessStat {
  pid: number;
  state: string;
  pgrp: number;
}

/** `pid (comm) S ppid pgrp …`: comm may hold spaces and parentheses, so fields count from the last `)`. */
function readStat(pid: number): ProcessStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { pid, state: fields[0] ?? '', pgrp: Number(fields[2]) };
  } catch {
    return undefined;
  }
}

function procPids(): number[] | undefined {
  try {
    return readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number);
  } catch {
    return undefined;
  }
}

function signalZeroSucceeds(target: number): boolean {
  try {
    process.kill(target, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Is `pid` a running process? A zombie is not: it has exited and waits only to be reaped (a
 * container's pid 1 often never reaps the orphans it adopts). */
export function isAlive(pid: number): boolean {
  if (!signalZeroSucceeds(pid)) return false;
  const stat = readStat(pid);
  return stat === undefined ? procPids() === undefined : stat.state !== 'Z';
}

/** Does process group `pgid` still have a running (non-zombie) member? */
export function groupAlive(pgid: number): boolean {
  if (!signalZeroSucceeds(-pgid)) return false;
  const pids = procPids();
  if (pids === undefined) return true;
  return pids.some((pid) => {
    const stat = readStat(pid);
    return stat !== undefined && stat.pgrp === pgid && stat.state !== 'Z';
  });
}

/** Sends `signal` to every process of group `pgid`; false when the group is gone. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Socket inodes of TCP sockets listening on `port` (state 0A), from /proc/net/tcp and tcp6. */
function listeningInodes(port: number): Set<string> {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[1]?.endsWith(`:${hexPort}`) && fields[3] === '0A' && fields[9]) inodes.add(fields[9]);
    }
  }
  return inodes;
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    return '?';
  }
}

/** The processes listening on TCP `port` on this machine, with their command lines (Linux; empty elsewhere). */
export function portHolders(port: number): Array<{ pid: number; command: string }> {
  const inodes = listeningInodes(port);
  if (inodes.size === 0) return [];
  const holders: Array<{ pid: number; command: string }> = [];
  for (const pid of procPids() ?? []) {
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    const holds = fds.some((fd) => {
      try {
        const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
        return inode !== undefined && inodes.has(inode);
      } catch {
        return false;
      }
    });
    if (holds) holders.push({ pid, command: commandLine(pid) });
  }
  return holders;
}
