#!/usr/bin/env node
import { join, resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import pc from 'picocolors';
import { ALLOWED_CLIENT_SUBJECT, buildPki, revocationUrls, writeKit } from '../certs/index.js';
import { renderCatalog } from '../reports/index.js';
import { DEFAULT_CATALOG } from '../suites/catalog/index.js';
import { loadConfig, REPORTERS, type RunFlags } from './config/index.js';
import { HarnessError } from './errors.js';
import { initCommand, mergeCommand } from './cli/index.js';
import { EVENTS_FILE, generateSecrets, RUN_SECRETS } from './kit/index.js';
import { PACKAGE_VERSION } from './package-info.js';
import { freePort } from './target/index.js';
import { CAPABILITIES, type ScenarioInfo } from './model.js';
import { makePlan, scenarioInfo } from './plan/index.js';
import { DEFAULT_PROFILE, findProfile, NO_PROFILE, PROFILE_NAMES } from './profiles/index.js';
import { progressMode, runConformance, stdoutIo } from './run/index.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];
const profileNames = [...PROFILE_NAMES, NO_PROFILE].join('|');

function runCommand(): Command {
  return new Command('run')
    .description('start (or reach) the listener, send every scenario, report verdicts')
    .option('--config <file>', 'config file (default: wh-conformance.config.{ts,mjs,js,json} in the cwd)')
    .option('--command <cmd>', "shell command that starts the listener (it gets the WHC_* environment); with --image, the container's command")
    .option('--image <name>', 'a listener image to start with testcontainers (needs a Docker engine)')
    .option('--network <mode>', "the image's network: bridge (port published on 127.0.0.1, default) or host")
    .option('--url <url>', 'a listener already running on loopback (needs --certs)')
    .option('--cwd <dir>', 'working directory for --command')
    .option('--port <n>', 'port the started listener must use (default: a free one)')
    .option('--path <path>', 'path deliveries are POSTed to (default /webhook)')
    .option('--profile <names>', `signature profile, or several comma-separated: ${profileNames} (default ${DEFAULT_PROFILE})`)
    .option('--no-mtls', 'the listener does TLS without client certificates: skip mTLS scenarios')
    .option('--capabilities <list>', 'what the listener does, comma-separated: crl,ocsp,subject-pinning,…')
    .option('--include <glob>', 'run only scenarios whose id matches (repeatable)', collect)
    .option('--exclude <glob>', 'skip scenarios whose id matches (repeatable)', collect)
    .option('--reporter <name>', `report format besides the console: ${REPORTERS.join('|')} (repeatable)`, collect)
    .option('--out <dir>', 'directory for report files (default wh-conformance-report)')
    .option('--timeout <ms>', 'deadline per delivery, in milliseconds (default 5000)')
    .option('--run-timeout <ms>', 'deadline of the whole run, in milliseconds: past it the run stops and exits 2 (default 600000)')
    .option('--drills', 'also send the robustness and rotation drills (layer robust): load, a 20 MiB body, slow headers, restarts with rotated client roots')
    .option('--repeat <n>', 'send each scenario n times (measuring how the run grows; default 1)')
    .option('--strict', 'ask for precise rejections: a TLS alert or status other than the expected one is a warn')
    .option('--keep-certs', 'keep the generated kit after the run (it contains private keys)')
    .option('--certs <dir>', 'kit directory used by a --url listener (see `certs --out`)')
    .option('--baseline <file>', 'expected failures (ids with a note each): they do not fail the run, but their passing does')
    .option('--update-baseline', 'rewrite the baseline (--baseline, default wh-conformance.baseline.json) from this run')
    .option('--shard <i/n>', 'send only the i-th of n slices of the scenarios; combine the reports with `merge`')
    .action(async (options: RunFlags, command: Command) => {
      // --no-mtls defaults mtls to true; only an explicit flag may override the config file.
      const flags: RunFlags = { ...options, mtls: command.getOptionValueSource('mtls') === 'cli' ? options.mtls : undefined };
      const config = await loadConfig(flags);
      process.exitCode = await runConformance(config, DEFAULT_CATALOG, { ...stdoutIo(), progress: progressMode(process.stdout.isTTY === true, process.env) });
    });
}

function listCommand(): Command {
  return new Command('list')
    .description('print the scenario catalog without starting anything')
    .option('--profile <names>', `show the scenarios that apply with this profile (or several, comma-separated): ${profileNames}`, DEFAULT_PROFILE)
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('--drills', 'list the robustness and rotation drills (run --drills) too')
    .action((options: { profile: string; format: 'table' | 'json'; drills?: boolean }) => {
      const profiles = options.profile.split(',').map((p) => p.trim());
      const unknown = profiles.find((p) => p !== NO_PROFILE && !PROFILE_NAMES.includes(p));
      if (unknown !== undefined) throw new HarnessError(`--profile: unknown profile "${unknown}": expected one of ${profileNames}`);
      const scenarios = [...listed(profiles), ...(options.drills ? DEFAULT_CATALOG.drills.map(scenarioInfo) : [])];
      process.stdout.write(options.format === 'json' ? `${JSON.stringify(scenarios, null, 2)}\n` : renderCatalog(scenarios, { color: pc.isColorSupported, describeProfile }));
    });
}

function describeProfile(name: string): string | undefined {
  const profile = findProfile(name);
  return profile && `${profile.description} (${profile.reference})`;
}

/** The scenarios that apply with each profile (capabilities are shown, not required): the mTLS
 * layer once, the signature layer per profile, without those its scheme cannot express. */
function listed(profiles: readonly string[]): Array<ScenarioInfo & { profile?: string }> {
  return profiles.flatMap((name, i) => {
    const profile = name === NO_PROFILE ? null : name;
    const plan = makePlan(DEFAULT_CATALOG.scenarios, { mtls: true, profile, capabilities: CAPABILITIES, include: [], exclude: [], ...(i > 0 ? { layers: ['sig'] as const } : {}) });
    return plan.run.map((s) => ({ ...scenarioInfo(s), ...(s.layer === 'sig' && profile ? { profile } : {}) }));
  });
}

function certsCommand(): Command {
  return new Command('certs')
    .description('write a kit (test PKI and signing secrets) for a listener started outside the harness')
    .requiredOption('--out <dir>', 'directory to write the kit to (created with mode 0700)')
    .action(async (options: { out: string }) => {
      const dir = resolve(options.out);
      // The responder runs only during `run --certs`, on the port the certificates name.
      const revocation = revocationUrls(`http://127.0.0.1:${await freePort('127.0.0.1')}`);
      const paths = await writeKit(dir, await buildPki({ now: new Date(), revocationOrigin: revocation.origin }), generateSecrets());
      process.stdout.write(
        [
          `kit written to ${dir} (private keys inside: keep it out of version control)`,
          'point the listener at it:',
          `  WHC_SERVER_CERT_FILE=${paths.serverCert}`,
          `  WHC_SERVER_KEY_FILE=${paths.serverKey}`,
          `  WHC_CLIENT_CA_FILE=${paths.clientCa}`,
          `  WHC_CRL_FILE=${paths.crl}`,
          `  WHC_OCSP_URL=${revocation.ocsp}`,
          `  WHC_CRL_URL=${revocation.crlBundle}`,
          `  WHC_ALLOWED_CLIENT_SUBJECT=${ALLOWED_CLIENT_SUBJECT}`,
          `  WHC_PROFILE=<one of ${PROFILE_NAMES.join(', ')}>`,
          `  WHC_SIGNING_SECRET=<profiles.<name>.secret in ${paths.secrets}>`,
          `    (discord, standard-webhooks-ed25519: WHC_SIGNING_PUBLIC_KEY=<profiles.<name>.publicKey>, never the secret)`,
          `  WHC_EVENTS_FILE=${join(dir, EVENTS_FILE)} (only with --capabilities events-file)`,
          `then: wh-conformance run --url https://127.0.0.1:<port> --certs ${dir}`,
          'the CRLs are current for 7 days: write a new kit after that; OCSP and the CRL URLs answer only while run --certs runs',
          '',
        ].join('\n'),
      );
    });
}

function program(): Command {
  const root = new Command('wh-conformance')
    .description('conformance tests for webhook listeners: mutual TLS and payload signatures')
    .version(PACKAGE_VERSION)
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');
  root.addCommand(runCommand().exitOverride());
  root.addCommand(listCommand().exitOverride());
  root.addCommand(certsCommand().exitOverride());
  root.addCommand(mergeCommand(DEFAULT_CATALOG).exitOverride());
  root.addCommand(initCommand().exitOverride());
  return root;
}

function fail(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
  if (error instanceof HarnessError) {
    // The details may be a listener's last output, secrets and all.
    process.stderr.write(RUN_SECRETS.mask(`wh-conformance: ${error.message}\n${error.details.map((line) => `  | ${line}\n`).join('')}`));
    return 2;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(RUN_SECRETS.mask(`wh-conformance: unexpected error: ${message}\n`));
  if (process.env.WHC_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  return 2;
}

try {
  await program().parseAsync(process.argv);
} catch (error) {
  process.exitCode = fail(error);
}
