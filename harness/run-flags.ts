import type { Command } from 'commander';
import type { RunFlags } from './config.js';

/** The flags as given: --no-mtls defaults mtls to true, so only an explicit flag may override the config file. */
export function runFlags(options: RunFlags, command: Command): RunFlags {
  return { ...options, mtls: command.getOptionValueSource('mtls') === 'cli' ? options.mtls : undefined };
}
