/** The run could not be carried out: bad input, a target that did not start… The message is one
 * line that names the problem and the fix; `details` (such as a target's last output) are printed
 * below it. The CLI exits 2. */
export class HarnessError extends Error {
  override name = 'HarnessError';
  constructor(
    message: string,
    readonly details: readonly string[] = [],
  ) {
    super(message);
  }
}
