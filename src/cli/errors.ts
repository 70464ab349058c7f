// Exit codes: 0 success, 1 runtime failure, 2 bad usage or config (as most Unix tools do).
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** A mistake in the command line or the config: reported without a stack trace, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
