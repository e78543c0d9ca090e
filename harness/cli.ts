#!/usr/bin/env node
import { resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import pc from 'picocolors';
import { buildPki, writeKit } from '../certs/index.js';
import { renderCatalog } from '../reports/index.js';
import { CATALOG } from '../suites/catalog/index.js';
import { loadConfig, REPORTERS, type RunFlags } from './config.js';
import { HarnessError } from './errors.js';
import { PACKAGE_VERSION } from './package-info.js';
import { DEFAULT_PROFILE, NO_PROFILE, PROFILES } from './profiles/index.js';
import { runConformance } from './run.js';
import { generateSecrets } from './secrets.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];
const profileNames = [...PROFILES.keys(), NO_PROFILE].join('|');

function runCommand(): Command {
  return new Command('run')
    .description('start (or reach) the listener, send every scenario, report verdicts')
    .option('--config <file>', 'config file (default: wh-conformance.config.{ts,mjs,js,json} in the cwd)')
    .option('--command <cmd>', 'shell command that starts the listener (it gets the WHC_* environment)')
    .option('--url <url>', 'a listener already running on loopback (needs --certs)')
    .option('--cwd <dir>', 'working directory for --command')
    .option('--port <n>', 'port the started listener must use (default: a free one)')
    .option('--path <path>', 'path deliveries are POSTed to (default /webhook)')
    .option('--profile <name>', `signature profile: ${profileNames} (default ${DEFAULT_PROFILE})`)
    .option('--no-mtls', 'the listener does TLS without client certificates: skip mTLS scenarios')
    .option('--capabilities <list>', 'what the listener does, comma-separated: crl,ocsp,subject-pinning,…')
    .option('--include <glob>', 'run only scenarios whose id matches (repeatable)', collect)
    .option('--exclude <glob>', 'skip scenarios whose id matches (repeatable)', collect)
    .option('--reporter <name>', `report format besides the console: ${REPORTERS.join('|')} (repeatable)`, collect)
    .option('--out <dir>', 'directory for report files (default wh-conformance-report)')
    .option('--timeout <ms>', 'deadline per delivery, in milliseconds (default 5000)')
    .option('--keep-certs', 'keep the generated kit after the run (it contains private keys)')
    .option('--certs <dir>', 'kit directory used by a --url listener (see `certs --out`)')
    .action(async (options: RunFlags, command: Command) => {
      // --no-mtls defaults mtls to true; only an explicit flag may override the config file.
      const flags: RunFlags = { ...options, mtls: command.getOptionValueSource('mtls') === 'cli' ? options.mtls : undefined };
      const config = await loadConfig(flags);
      const io = { write: (text: string) => process.stdout.write(text), color: pc.isColorSupported };
      process.exitCode = await runConformance(config, process.stdout.columns ? { ...io, width: Math.max(100, process.stdout.columns) } : io);
    });
}

function listCommand(): Command {
  return new Command('list')
    .description('print the scenario catalog without starting anything')
    .option('--profile <name>', `show the scenarios that apply with this profile: ${profileNames}`, DEFAULT_PROFILE)
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action((options: { profile: string; format: 'table' | 'json' }) => {
      if (options.profile !== NO_PROFILE && !PROFILES.has(options.profile)) {
        throw new HarnessError(`--profile: unknown profile "${options.profile}": expected one of ${profileNames}`);
      }
      const scenarios = CATALOG.filter((s) => s.layer !== 'sig' || options.profile !== NO_PROFILE).map(({ send: _send, ...info }) => info);
      process.stdout.write(options.format === 'json' ? `${JSON.stringify(scenarios, null, 2)}\n` : renderCatalog(scenarios, { color: pc.isColorSupported }));
    });
}

function certsCommand(): Command {
  return new Command('certs')
    .description('write a kit (test PKI and signing secrets) for a listener started outside the harness')
    .requiredOption('--out <dir>', 'directory to write the kit to (created with mode 0700)')
    .action(async (options: { out: string }) => {
      const dir = resolve(options.out);
      const paths = await writeKit(dir, await buildPki({ now: new Date() }), generateSecrets());
      process.stdout.write(
        [
          `kit written to ${dir} (private keys inside: keep it out of version control)`,
          'point the listener at it:',
          `  WHC_SERVER_CERT_FILE=${paths.serverCert}`,
          `  WHC_SERVER_KEY_FILE=${paths.serverKey}`,
          `  WHC_CLIENT_CA_FILE=${paths.clientCa}`,
          `  WHC_CRL_FILE=${paths.crl}`,
          `  WHC_SIGNING_SECRET=<profiles.<name>.secret in ${paths.secrets}>`,
          `then: wh-conformance run --url https://127.0.0.1:<port> --certs ${dir}`,
          'the CRLs are current for 7 days: write a new kit after that',
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
  return root;
}

function fail(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
  if (error instanceof HarnessError) {
    process.stderr.write(`wh-conformance: ${error.message}\n${error.details.map((line) => `  | ${line}\n`).join('')}`);
    return 2;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`wh-conformance: unexpected error: ${message}\n`);
  if (process.env.WHC_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  return 2;
}

try {
  await program().parseAsync(process.argv);
} catch (error) {
  process.exitCode = fail(error);
}
