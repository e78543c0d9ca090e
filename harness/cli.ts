#!/usr/bin/env node
// The executable: the commands, with the catalog of suites/ handed to those that need it (the one
// place the harness names suites/), and one exit path for every error.
import { Command, CommanderError } from 'commander';
import { DEFAULT_CATALOG } from '../suites/catalog/index.js';
import { certsCommand, initCommand, listCommand, mergeCommand, reproCommand, runCommand } from './cli/index.js';
import { HarnessError } from './errors.js';
import { RUN_SECRETS } from './kit/index.js';
import { PACKAGE_VERSION } from './package-info.js';

function program(): Command {
  const root = new Command('wh-conformance')
    .description('conformance tests for webhook listeners: mutual TLS and payload signatures')
    .version(PACKAGE_VERSION)
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');
  root.addCommand(runCommand(DEFAULT_CATALOG).exitOverride());
  root.addCommand(listCommand(DEFAULT_CATALOG).exitOverride());
  root.addCommand(certsCommand().exitOverride());
  root.addCommand(mergeCommand(DEFAULT_CATALOG).exitOverride());
  root.addCommand(initCommand().exitOverride());
  root.addCommand(reproCommand(DEFAULT_CATALOG).exitOverride());
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
