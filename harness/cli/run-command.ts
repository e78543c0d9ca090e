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

/** `wh-conformance run`: its options are made from the flag table of harness/config/flags.ts. */
export function runCommand(catalog: Catalog): Command {
  const command = new Command('run').description('start (or reach) the listener, send every scenario, report verdicts');
  for (const flag of Object.values(RUN_FLAGS)) command.addOption(option(flag));
  return command.action(async (options: RunFlags, command: Command) => {
    // --no-mtls defaults mtls to true; only an explicit flag may override the config file.
    const flags: RunFlags = { ...options, mtls: command.getOptionValueSource('mtls') === 'cli' ? options.mtls : undefined };
    const config = await loadConfig(flags);
    process.exitCode = await runConformance(config, catalog, { ...stdoutIo(), progress: progressMode(process.stdout.isTTY === true, process.env) });
  });
}
