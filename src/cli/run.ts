/**
 * How every command runs: flags are parsed (and rejected, exit 2) by
 * commander before an action starts; the action's errors are printed once,
 * mapped to one exit-code scheme (exit-codes.ts); Ctrl-C ends the process
 * with 130 and a line saying how to converge.
 */
import { InvalidArgumentError } from 'commander';
import { parseDuration } from '../deploy/errors';
import { EXIT, reportError } from './exit-codes';

/** Wrap a command action: a returned number is the exit code; a thrown error is reported. */
export function action<A extends unknown[]>(command: string, fn: (...args: A) => Promise<number | void> | number | void): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      const code = await fn(...args);
      if (typeof code === 'number') process.exitCode = code;
    } catch (e) {
      reportError(e, command);
    }
  };
}

/** commander argParser for durations ("90s", "5m"): a bad value fails while parsing, before anything runs. */
export function durationArg(value: string): string {
  try {
    parseDuration(value);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
  return value;
}

/** commander argParser for an http(s) URL. */
export function urlArg(value: string): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new InvalidArgumentError(`"${value}" is not a URL (e.g. http://127.0.0.1:8080)`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new InvalidArgumentError(`"${value}" must be an http:// or https:// URL`);
  return value;
}

/**
 * On Ctrl-C / SIGTERM: print what to do and exit 130. Every step of deploy
 * and destroy is idempotent (server-side apply, inventory written before
 * apply, deletes by name), so the rerun `again` names converges.
 */
export function onInterrupt(command: string, again: string): () => void {
  const handler = (signal: NodeJS.Signals): void => {
    process.stderr.write(`\nberth ${command}: interrupted (${signal}); the cluster may be partly updated: run \`${again}\` again to converge\n`);
    process.exit(EXIT.interrupted);
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
