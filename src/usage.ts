/** A setting the user got wrong (an action input, a command-line option): its message names the setting. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
