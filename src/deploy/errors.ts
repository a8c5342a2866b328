/** Errors that end a berth command with a clear message and a non-zero exit code. */
import { BerthError, UsageError } from '../errors';

/** Something in the cluster will not become ready; the message says why (image, crash + logs, scheduling, storage). */
export class DeployFailure extends BerthError {
  constructor(
    message: string,
    readonly object?: string,
  ) {
    super(message, 'failed');
    this.name = 'DeployFailure';
  }
}

/** The timeout passed with objects still progressing; the message lists them and their last state. */
export class DeployTimeout extends BerthError {
  constructor(message: string) {
    super(message, 'failed');
    this.name = 'DeployTimeout';
  }
}

/** Parse "5m", "90s", "1h", "1500ms" or a plain number of seconds into milliseconds. */
export function parseDuration(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text);
  if (!m) throw new UsageError(`invalid duration "${text}": use e.g. 90s, 5m, 1h`);
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  return Math.round(n * (unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000));
}
