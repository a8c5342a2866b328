/**
 * Wait, by watch, until one named object reaches a state (e.g. a CRD is
 * Established, or the object is gone), or reject at a deadline.
 */
import { KubeClient, WatchEvent } from './client';
import type { KObject } from './types';

export interface WatchUntilOptions {
  /** Collection path of the object's kind (and namespace). */
  path: string;
  name: string;
  /** Milliseconds to wait before rejecting with `timeoutError()`. */
  timeoutMs: number;
  timeoutError: () => Error;
  /** True when an event shows the awaited state. */
  done: (ev: WatchEvent) => boolean;
  /** True when a full (re)list shows the awaited state. */
  doneOnSync?: (items: KObject[]) => boolean;
}

export function watchUntil(client: KubeClient, opts: WatchUntilOptions): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      w.stop();
      reject(opts.timeoutError());
    }, opts.timeoutMs);
    const finish = (): void => {
      clearTimeout(timer);
      w.stop();
      resolve();
    };
    const w = client.watch(
      opts.path,
      { fieldSelector: `metadata.name=${opts.name}` },
      (ev) => {
        if (opts.done(ev)) finish();
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
      opts.doneOnSync &&
        ((items) => {
          if (opts.doneOnSync!(items)) finish();
        }),
    );
  });
}
