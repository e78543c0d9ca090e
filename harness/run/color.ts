/**
 * Whether a stream gets ANSI colours. picocolors' own rule colours any output under `CI`, so a
 * piped CI log would carry escape codes; here only a terminal is coloured by default.
 * `NO_COLOR` (any non-empty value, https://no-color.org) turns colours off, `FORCE_COLOR` on
 * (`0` or `false`: off), and `TERM=dumb` is no colour terminal. Pure.
 */
export function colorEnabled(isTTY: boolean, env: Readonly<Record<string, string | undefined>>): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return isTTY && env.TERM !== 'dumb';
}

/** Whether stdout gets colours in this process. */
export const stdoutColor = (): boolean => colorEnabled(process.stdout.isTTY === true, process.env);
