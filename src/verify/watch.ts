import * as k8s from '@kubernetes/client-node';

/**
 * A small list+watch cache: verify waits for conditions with watches, not
 * sleeps. `until` resolves as soon as the condition holds, rejects early when
 * `fail` reports a hopeless state (e.g. CrashLoopBackOff), or on timeout with
 * a description of the last state seen.
 */
export class ResourceWatch<T extends k8s.KubernetesObject> {
  readonly items = new Map<string, T>();
  private rv = '';
  private abort?: AbortController;
  private stopped = false;
  private listeners = new Set<() => void>();
  /** Event log (type + name + ms since start) for the report's evidence. */
  readonly events: { type: string; name: string; atMs: number }[] = [];
  private readonly t0 = Date.now();

  private constructor(
    private readonly kc: k8s.KubeConfig,
    private readonly path: string,
    private readonly labelSelector: string | undefined,
    private readonly list: () => Promise<k8s.KubernetesListObject<T>>,
  ) {}

  static async start<T extends k8s.KubernetesObject>(
    kc: k8s.KubeConfig,
    path: string,
    labelSelector: string | undefined,
    list: () => Promise<k8s.KubernetesListObject<T>>,
  ): Promise<ResourceWatch<T>> {
    const w = new ResourceWatch<T>(kc, path, labelSelector, list);
    await w.relist();
    await w.watch();
    return w;
  }

  /** Pods matching a label selector in a namespace. */
  static pods(kc: k8s.KubeConfig, core: k8s.CoreV1Api, namespace: string, labelSelector: string) {
    return ResourceWatch.start<k8s.V1Pod>(kc, `/api/v1/namespaces/${namespace}/pods`, labelSelector, () =>
      core.listNamespacedPod({ namespace, labelSelector }),
    );
  }

  get all(): T[] {
    return [...this.items.values()];
  }

  private async relist(): Promise<void> {
    const list = await this.list();
    this.items.clear();
    for (const o of list.items) this.items.set(o.metadata!.name!, o);
    this.rv = list.metadata?.resourceVersion ?? '';
    this.notify();
  }

  private async watch(): Promise<void> {
    if (this.stopped) return;
    const w = new k8s.Watch(this.kc);
    this.abort = await w.watch(
      this.path,
      { labelSelector: this.labelSelector, resourceVersion: this.rv, allowWatchBookmarks: true },
      (type, obj: any) => {
        if (type === 'BOOKMARK') {
          this.rv = obj?.metadata?.resourceVersion ?? this.rv;
          return;
        }
        if (type === 'ERROR') {
          // 410 Gone: our resourceVersion is too old; the reconnect below relists.
          this.rv = '';
          return;
        }
        const name = obj?.metadata?.name;
        if (!name) return;
        this.rv = obj.metadata.resourceVersion ?? this.rv;
        if (type === 'DELETED') this.items.delete(name);
        else this.items.set(name, obj as T);
        this.events.push({ type, name, atMs: Date.now() - this.t0 });
        this.notify();
      },
      (err) => {
        if (this.stopped) return;
        // The server ends watches now and then (and client-node drops idle ones): resume.
        const resume = async () => {
          try {
            if (!this.rv || (err && !String(err).includes('TimeoutError'))) await this.relist();
            await this.watch();
          } catch {
            setTimeout(() => void resume(), 500);
          }
        };
        void resume();
      },
    );
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
      let timer: NodeJS.Timeout | undefined;
      const done = (err?: Error) => {
        this.listeners.delete(check);
        if (timer) clearTimeout(timer);
        if (err) reject(err);
        else resolve();
      };
      const check = () => {
        const items = this.all;
        if (ok(items)) return done();
        const why = opts.fail?.(items);
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
    this.stopped = true;
    this.listeners.clear();
    this.abort?.abort();
  }
}
