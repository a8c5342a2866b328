/**
 * One error base for every stage: a BerthError is a failure the user can act
 * on, so the CLI prints its message and hint without a stack trace and exits
 * with the code its `kind` maps to (src/cli/exit-codes.ts, docs/exit-codes.md).
 * Anything that is not a BerthError is a bug in berth.
 */
export type ErrorKind =
  /** The command ran and what it checked or waited for failed (deploy, verify, status, synth problems). */
  | 'failed'
  /** Bad flags, arguments, dist/ files or kubeconfig: nothing was changed. */
  | 'usage'
  /** The cluster could not be reached, stalled, or the command's --timeout passed. */
  | 'unreachable'
  /** Refused for safety (would delete or take over something): an explicit flag or declaration is needed. */
  | 'refused'
  /** Ctrl-C / SIGTERM. */
  | 'interrupted';

export class BerthError extends Error {
  constructor(
    message: string,
    readonly kind: ErrorKind,
    /** What to do about it, printed on its own line. */
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'BerthError';
  }
}

/** A flag or argument value is wrong; nothing has been sent to the cluster. */
export class UsageError extends BerthError {
  constructor(message: string, hint?: string) {
    super(message, 'usage', hint);
    this.name = 'UsageError';
  }
}

/** A safety check refused the command before it changed anything; the hint names the flag that allows it. */
export class RefusedError extends BerthError {
  constructor(message: string, hint?: string) {
    super(message, 'refused', hint);
    this.name = 'RefusedError';
  }
}

/** The whole command's --timeout passed. */
export class CommandTimeout extends BerthError {
  constructor(message: string, hint?: string) {
    super(message, 'unreachable', hint);
    this.name = 'CommandTimeout';
  }
}

export function isBerthError(e: unknown): e is BerthError {
  return e instanceof BerthError;
}
