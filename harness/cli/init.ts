import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CONFIG_FILES } from '../config/index.js';
import { HarnessError } from '../errors.js';
import { CONFIG_FILE, renderConfigFile, renderWorkflow, WORKFLOW_FILE, type InitAnswers } from './init-templates.js';
import { CAPABILITIES, type Capability } from '../model.js';
import { PACKAGE_REPOSITORY, PACKAGE_VERSION } from '../package-info.js';
import { DEFAULT_PROFILE, NO_PROFILE, PROFILE_NAMES } from '../profiles/index.js';

/** What the `init` flags say; what they leave out is asked on a terminal, defaulted elsewhere. */
export interface InitFlags {
  command?: string;
  profile?: string;
  mtls?: boolean;
  capabilities?: string;
  force?: boolean;
}

export interface InitIo {
  write(text: string): void;
  /** Asks one question and returns the answer; absent when nobody can answer (stdin not a terminal). */
  ask?: (question: string) => Promise<string>;
}

const DEFAULT_COMMAND = 'npm start';
const ATTEMPTS = 3;

function parseProfiles(text: string, what: string): string[] {
  const names = text.split(',').map((p) => p.trim()).filter(Boolean);
  const unknown = names.find((p) => p !== NO_PROFILE && !PROFILE_NAMES.includes(p));
  if (unknown !== undefined || names.length === 0) {
    throw new HarnessError(`${what}: unknown profile "${unknown ?? text}": expected one of ${[...PROFILE_NAMES, NO_PROFILE].join(', ')}`);
  }
  if (names.includes(NO_PROFILE) && names.length > 1) throw new HarnessError(`${what}: "${NO_PROFILE}" cannot be combined with other profiles`);
  return names.filter((p) => p !== NO_PROFILE);
}

function parseCapabilities(text: string, what: string): Capability[] {
  const names = text.split(',').map((c) => c.trim()).filter(Boolean);
  const known = new Set<string>(CAPABILITIES);
  const unknown = names.find((c) => !known.has(c));
  if (unknown !== undefined) throw new HarnessError(`${what}: unknown capability "${unknown}": expected some of ${CAPABILITIES.join(', ')}`);
  return CAPABILITIES.filter((c) => names.includes(c));
}

function parseYesNo(text: string, what: string): boolean {
  if (/^(y|yes)$/i.test(text.trim())) return true;
  if (/^(n|no)$/i.test(text.trim())) return false;
  throw new HarnessError(`${what}: expected yes or no, got "${text}"`);
}

/** The flag's value, else the answer to a question (asked again after a bad answer), else the default. */
async function choose<T>(io: InitIo, flag: string | undefined, question: string, fallback: string, parse: (text: string, what: string) => T, flagName: string): Promise<T> {
  if (flag !== undefined) return parse(flag, flagName);
  if (!io.ask) return parse(fallback, flagName);
  for (let attempt = 1; ; attempt++) {
    const answer = (await io.ask(`${question} [${fallback}] `)).trim();
    try {
      return parse(answer === '' ? fallback : answer, 'answer');
    } catch (error) {
      if (attempt === ATTEMPTS || !(error instanceof HarnessError)) throw error;
      io.write(`${error.message}\n`);
    }
  }
}

/** Writes `wh-conformance.config.ts` and the GitHub Actions workflow into `cwd`; returns their
 * paths. Refuses to overwrite either (or to add a config beside another) without `force`. */
export async function runInit(flags: InitFlags, cwd: string, io: InitIo): Promise<string[]> {
  const existing = [...CONFIG_FILES, WORKFLOW_FILE].filter((name) => existsSync(join(cwd, name)));
  if (existing.length > 0 && !flags.force) {
    throw new HarnessError(`${existing.join(', ')} already ${existing.length === 1 ? 'exists' : 'exist'} in ${cwd}: pass --force to overwrite`);
  }
  const answers: InitAnswers = {
    command: await choose(io, flags.command, 'Command that starts your listener?', DEFAULT_COMMAND, (text) => text, '--command'),
    profiles: await choose(io, flags.profile, `Signature profile (${[...PROFILE_NAMES, NO_PROFILE].join(', ')}; several comma-separated)?`, DEFAULT_PROFILE, parseProfiles, '--profile'),
    mtls: flags.mtls ?? (await choose(io, undefined, 'Does it require client certificates (mTLS)? yes/no', 'yes', parseYesNo, '--mtls')),
    capabilities: await choose(io, flags.capabilities, `Capabilities beyond the basics (${CAPABILITIES.join(', ')}; comma-separated)?`, '', parseCapabilities, '--capabilities'),
    npmProject: existsSync(join(cwd, 'package.json')),
  };
  const files: Array<[string, string]> = [
    [join(cwd, CONFIG_FILE), renderConfigFile(answers, PROFILE_NAMES, NO_PROFILE)],
    [join(cwd, WORKFLOW_FILE), renderWorkflow(answers, { repository: PACKAGE_REPOSITORY, version: PACKAGE_VERSION })],
  ];
  for (const [path, text] of files) {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text, 'utf8');
    io.write(`written: ${path}\n`);
  }
  io.write('next: check target.command in the config, then run `npx wh-conformance run`\n');
  return files.map(([path]) => path);
}
