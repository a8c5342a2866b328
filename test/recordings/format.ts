/**
 * The format of a recorded wait (test/unit/fixtures/watch/*.json): what
 * waitForReady was given, every request its KubeClient made with the answer
 * (watch streams as their event lines, each with its time), and how the wait
 * ended. Written by record.ts, replayed by test/unit/support/replay.ts.
 * Times are milliseconds after the wait began.
 */
import type { Grace } from '../../src/deploy/wait';
import type { KObject } from '../../src/kube/types';

export interface RecordedExchange {
  /** When the request was made. */
  at: number;
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  /** The answer: parsed JSON, or `text` for plain answers (container logs). */
  body?: unknown;
  text?: string;
  /** A watch stream: each line the server sent (one event), parsed, with when it came. */
  events?: { at: number; event: unknown }[];
  /** When the server closed the watch stream (absent: open until the wait ended). */
  endedAt?: number;
}

export type Outcome = { result: 'ready'; atMs: number } | { result: 'failure' | 'timeout'; atMs: number; message: string; object?: string };

export interface Recording {
  scenario: string;
  description: string;
  recorded: { by: string; date: string; serverVersion: string; nodes: number };
  /** waitForReady's options (the clock is the replay's). */
  wait: { timeoutMs: number; labelSelector: string; grace?: Partial<Grace> };
  /** The apply results handed to waitForReady. */
  applied: KObject[];
  outcome: Outcome;
  /** Progress as onUpdate reported it. */
  updates: { at: number; name: string; state: string; message: string }[];
  exchanges: RecordedExchange[];
}

/** Query parameters that differ between runs of the same watch and do not change its answer. */
export const VOLATILE_QUERY = new Set(['resourceVersion', 'timeoutSeconds', 'allowWatchBookmarks']);
