import { Command, Option } from 'commander';
import { loadConfig, RUN_FLAGS, type Flag, type RunFlags } from '../config/index.js';
import type { Catalog } from '../model.js';
import { progressMode, runConformance, stdoutIo } from '../run/index.js';

/** Commander's way to gather a repeatable option's values. */
export const collect = (value: string, previous: string[] = []) => [...previous, value];

function option({ option, help, repeatable }: Pick<Flag, 'option' | 'help' | 'repeatable'>): Option {
  const made = new Option(option, help);
  return repeatable ? made.argParser(collect) : made;
}

/** Adds the `run` flags, made from the flag table of harness/config/flags.ts: `run` and `repro`
 * (which finds the same listener) take them. */
export function withRunOptions(command: Command): Command {
  for (const flag of Object.values(RUN_FLAGS)) command.addOption(option(flag));
  return command;
}

/** The flags as given: --no-mtls defaults mtls to true, so only an explicit flag may override the config file. */
export function givenRunFlags(options: RunFlags, command: Command): RunFlags {
  return { ...options, mtls: command.getOptionValueSource('mtls') === 'cli' ? options.mtls : undefined };
}

/** `wh-conformance run`. */
export function runCommand(catalog: Catalog): Command {
  const command = withRunOptions(new Command('run').description('start (or reach) the listener, send every scenario, report verdicts'));
  return command.action(async (options: RunFlags, command: Command) => {
    const config = await loadConfig(givenRunFlags(options, command));
    process.exitCode = await runConformance(config, catalog, { ...stdoutIo(), progress: progressMode(process.stdout.isTTY === true, process.env) });
  });
}
