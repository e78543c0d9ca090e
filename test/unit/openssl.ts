import { execFile } from 'node:child_process';

export interface OpensslRun {
  readonly code: number;
  readonly output: string;
}

/** Runs the openssl command line; never rejects, the exit code and both outputs tell. */
export function openssl(args: readonly string[], input?: Buffer): Promise<OpensslRun> {
  return new Promise((resolve) => {
    const child = execFile('openssl', args, { encoding: 'buffer', timeout: 20_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, output: stdout.toString('latin1') + stderr.toString('latin1') });
    });
    child.stdin?.end(input);
  });
}

/** The PEM blocks of `label` in `pem`, each with its trailing newline. */
export function pemBlocks(pem: string, label: string): string[] {
  return pem.match(new RegExp(`-----BEGIN ${label}-----\\n[\\s\\S]+?\\n-----END ${label}-----\\n`, 'g')) ?? [];
}
