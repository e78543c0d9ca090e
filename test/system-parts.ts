import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { test } from 'vitest';
import { getCurrentSuite } from 'vitest/suite';

/** The system parts some tests need besides Node, each with how to get it (Debian; .ci/run does it). */
export const SYSTEM_PARTS = {
  chromium: { what: 'headless Chromium for the HTML report', enable: 'apt-get install -y chromium fonts-dejavu-core' },
  nginx: { what: 'nginx as a real listener', enable: 'apt-get install -y nginx' },
  openssl: { what: 'the openssl command line, which checks the PKI', enable: 'apt-get install -y openssl' },
  docker: { what: 'a Docker engine for container targets', enable: 'apt-get install -y docker.io && dockerd &' },
  python3: { what: "Python's http.server as a small-backlog listener", enable: 'apt-get install -y python3' },
  curl: { what: 'curl, which runs the commands `repro` prints', enable: 'apt-get install -y curl' },
} as const;
export type SystemPart = keyof typeof SYSTEM_PARTS;

/** CI sets this (.ci/run): there every part is installed, so a missing one fails instead of skipping. */
export const REQUIRE_ENV = 'WHC_REQUIRE_SYSTEM_PARTS';
/** The name of the marker test a file gets for each part it lacks; the skip reporter lists them. */
export const MARKER = 'needs system part ';

/** The executable `name` on PATH, or undefined. */
export function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

function dockerProblem(): string | undefined {
  if (process.platform !== 'linux') return "the test image is made from this machine's node binary, which runs in a Linux container only on Linux";
  if (!onPath('docker')) return 'no docker command on PATH';
  try {
    execFileSync('docker', ['info', '--format', '{{.ServerVersion}}'], { timeout: 10_000, stdio: ['ignore', 'pipe', 'pipe'] });
    return undefined;
  } catch (err) {
    const text = err instanceof Error ? err.message.split('\n').find((l) => l.trim() && !l.startsWith('Command failed')) : undefined;
    return `no usable container engine (docker info: ${text?.trim() ?? 'failed'})`;
  }
}

/** Why `part` cannot be used on this machine, or undefined when it can. */
export function missing(part: SystemPart): string | undefined {
  if (part === 'docker') return dockerProblem();
  return onPath(part) ? undefined : `no ${part} on PATH`;
}

const problems = new Map<SystemPart, string | undefined>();
// One marker per part and file. Keyed by the file being collected: unit files share this module
// (isolate: false), so the module alone cannot tell one file from the next.
const marked = new Set<string>();

/** True when the tests that need `part` must be skipped. A file that lacks it also gets a marker
 * test that skips with the reason (listed at the end of the run by test/skip-reporter.ts) or, when
 * WHC_REQUIRE_SYSTEM_PARTS=1, fails with it. Call it where the tests are declared:
 * `describe.skipIf(lacks('nginx'))(...)`. */
export function lacks(part: SystemPart): boolean {
  if (!problems.has(part)) problems.set(part, missing(part));
  const problem = problems.get(part);
  if (problem === undefined) return false;
  const reason = `${SYSTEM_PARTS[part].what}: ${problem}; enable with: ${SYSTEM_PARTS[part].enable}`;
  const required = process.env[REQUIRE_ENV] === '1';
  const key = `${getCurrentSuite().file.filepath}\0${part}`;
  if (!marked.has(key)) {
    marked.add(key);
    test(`${MARKER}${part}`, ({ skip }) => {
      if (required) throw new Error(`${REQUIRE_ENV}=1 but ${reason}`);
      skip(reason);
    });
  }
  return !required;
}

/** The executable of `part` on PATH: call only where `lacks(part)` was false. */
export function executable(part: SystemPart): string {
  const file = onPath(part);
  if (!file) throw new Error(`no ${part} on PATH`);
  return file;
}
