import { createInterface } from 'node:readline/promises';
import { Command } from 'commander';
import type { InitFlags, InitIo } from './init.js';
import { NO_PROFILE, PROFILE_NAMES } from '../profiles/index.js';

/** `wh-conformance init`: a commented config and a GitHub Actions workflow for this project. Asks
 * what the flags leave out when a person is at the terminal; otherwise takes the defaults. */
export function initCommand(): Command {
  return new Command('init')
    .description('write a commented wh-conformance.config.ts and a GitHub Actions workflow for this project')
    .option('--command <cmd>', 'shell command that starts the listener (default: npm start)')
    .option('--profile <names>', `signature profile, or several comma-separated: ${[...PROFILE_NAMES, NO_PROFILE].join('|')}`)
    .option('--mtls', 'the listener requires client certificates (default)')
    .option('--no-mtls', 'the listener does TLS without client certificates')
    .option('--capabilities <list>', 'what the listener does beyond the basics, comma-separated: crl,ocsp,…')
    .option('--force', 'overwrite existing files')
    .action(async (options: InitFlags, command: Command) => {
      const flags: InitFlags = { ...options, mtls: command.getOptionValueSource('mtls') === 'cli' ? options.mtls : undefined };
      const write = (text: string) => void process.stdout.write(text);
      // Loaded here: the templates are no cost of the other commands.
      const { runInit } = await import('./init.js');
      if (!process.stdin.isTTY) {
        await runInit(flags, process.cwd(), { write });
        return;
      }
      const terminal = createInterface({ input: process.stdin, output: process.stdout });
      try {
        const io: InitIo = { write, ask: (question) => terminal.question(question) };
        await runInit(flags, process.cwd(), io);
      } finally {
        terminal.close();
      }
    });
}
