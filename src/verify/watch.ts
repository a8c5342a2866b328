import type { V1Pod } from '@kubernetes/client-node';
import type { KubeClient, WatchHandle } from '../kube/client';
import type { KObject } from '../kube/types';

/**
 * A list+watch cache of one collection (on KubeClient.watch, which relists
 * and resumes by itself): verify waits for conditions with watches, not
 * sleeps. `until` resolves as soon as the condition holds, rejects early
 * when `fail` reports a hopeless state (e.g. CrashLoopBackOff), or on timeout
 * with a description of the last state seen.
 */
export class ResourceWatch<T extends { metadata?: { name?: string } }> {
  readonly items = new Map<string, T>();
  /** Event log (type + name + ms since start) for the report's evidence. */
  readonly events: { type: string; name: string; atMs: number }[] = [];
  private readonly listeners = new Set<() => void>();
  private readonly t0 = Date.now();
  private handle?: WatchHandle;
  private error?: Error;

  private constructor() {}

  /** Start watching; resolves after the first full list arrived. */
  static start<T extends { metadata?: { name?: string } }>(client: KubeClient, path: string, labelSelector?: string): Promise<ResourceWatch<T>> {
    const w = new ResourceWatch<T>();
    return new Promise((resolve, reject) => {
      let synced = false;
      w.handle = client.watch(
        path,
        { labelSelector },
        (ev) => {
          const name = ev.object.metadata?.name;
          if (!name) return;
          if (ev.type === 'DELETED') w.items.delete(name);
          else w.items.set(name, ev.object as unknown as T);
          w.events.push({ type: ev.type, name, atMs: Date.now() - w.t0 });
          w.notify();
        },
        (e) => {
          w.error = e;
          if (!synced) reject(e);
          w.notify();
        },
        (items: KObject[]) => {
          // After a gap, objects missing from the relist are gone.
          const names = new Set(items.map((o) => o.metadata.name));
          for (const name of [...w.items.keys()]) if (!names.has(name)) w.items.delete(name);
          w.notify();
          if (!synced) {
            synced = true;
            resolve(w);
          }
        },
      );
    });
  }

  /** Pods matching a label selector in a namespace. */
  static pods(client: KubeClient, namespace: string, labelSelector: string): Promise<ResourceWatch<V1Pod>> {
    return ResourceWatch.start<V1Pod>(client, `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`, labelSelector);
  }

  get all(): T[] {
    return [...this.items.values()];
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }

  /**
   * Resolve when `ok(items)` is true. `fail(items)` returning a string rejects
   * at once with that reason; on timeout the error includes `describe(items)`.
   */
  until(
    ok: (items: T[]) => boolean,
    opts: { timeoutMs: number; what: string; fail?: (items: T[]) => string | undefined; describe?: (items: T[]) => string },
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined; // eslint-disable-line prefer-const -- assigned after `done` is defined
      const done = (err?: Error) => {
        this.listeners.delete(check);
        if (timer) clearTimeout(timer);
        if (err) reject(err);
        else resolve();
      };
      const check = () => {
        const items = this.all;
        if (ok(items)) return done();
        const why = opts.fail?.(items) ?? (this.error && `watch failed: ${this.error.message}`);
        if (why) done(new Error(`${opts.what}: ${why}`));
      };
      timer = setTimeout(() => {
        const state = opts.describe ? `; last state: ${opts.describe(this.all)}` : '';
        done(new Error(`${opts.what}: not reached within ${Math.round(opts.timeoutMs / 1000)}s${state}`));
      }, opts.timeoutMs);
      this.listeners.add(check);
      check();
    });
  }

  /** Watch for `ms`, calling `onChange` on every event (observation windows). */
  observe(ms: number, onChange: (items: T[]) => void): Promise<void> {
    return new Promise((resolve) => {
      const l = () => onChange(this.all);
      this.listeners.add(l);
      l();
      setTimeout(() => {
        this.listeners.delete(l);
        resolve();
      }, ms);
    });
  }

  stop(): void {
    this.listeners.clear();
    this.handle?.stop();
  }
}
