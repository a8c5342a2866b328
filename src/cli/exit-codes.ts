/**
 * The one exit-code scheme of every berth command (documented in
 * docs/exit-codes.md): errors carry a kind, this map turns it into a code,
 * and `reportError` prints them the same way everywhere.
 */
import { BerthError, ErrorKind } from '../errors';

export const EXIT = {
  ok: 0,
  /** Ran, and what it deployed/checked failed (also: diff --exit-code found changes, status found an unhealthy app). */
  failed: 1,
  /** Bad flags, arguments, dist/ or kubeconfig; nothing was changed. */
  usage: 2,
  /** Cluster unreachable, stalled, credentials refused, or --timeout passed. */
  unreachable: 3,
  /** Refused for safety before changing anything; the message names the flag that allows it. */
  refused: 4,
  /** Interrupted (Ctrl-C): 128 + SIGINT, as shells report it. */
  interrupted: 130,
} as const;

export const EXIT_FOR_KIND: Record<ErrorKind, number> = {
  failed: EXIT.failed,
  usage: EXIT.usage,
  unreachable: EXIT.unreachable,
  refused: EXIT.refused,
  interrupted: EXIT.interrupted,
};

export function exitCodeOf(e: unknown): number {
  return e instanceof BerthError ? EXIT_FOR_KIND[e.kind] : EXIT.failed;
}

/**
 * The text printed for an error: `berth <command>: message` and the hint.
 * A BerthError never shows a stack; anything else is a bug and shows one
 * only with BERTH_DEBUG=1 (the message alone is usually enough to report it).
 */
export function errorText(e: unknown, command?: string, env: NodeJS.ProcessEnv = process.env): string {
  const prefix = command ? `berth ${command}: ` : 'berth: ';
  if (e instanceof BerthError) return `${prefix}${e.message}\n${e.hint ? `  ${e.hint}\n` : ''}`;
  const err = e instanceof Error ? e : new Error(String(e));
  const debug = env.BERTH_DEBUG === '1' && err.stack ? `\n${err.stack}` : '';
  return `${prefix}${err.message}${debug}\n`;
}

/** Print `e` to stderr and set the process exit code from its kind. */
export function reportError(e: unknown, command?: string): void {
  process.stderr.write(errorText(e, command));
  process.exitCode = exitCodeOf(e);
}
