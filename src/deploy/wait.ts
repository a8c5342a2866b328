/**
 * Waiting for applied objects to become ready: driven by watches (the
 * server pushes every status change), judged by the per-kind rules in
 * readiness.ts, and cut short by pod diagnosis (diagnose.ts) when something
 * will not fix itself. Timers here are only deadlines, never polling of
 * the cluster; the one exception is the optional Ingress HTTP probe, which
 * has no watchable counterpart.
 */
import { DeployFailure, DeployTimeout } from './errors';
import { diagnosePod, formatProblem, podClaims, PodProblem } from './diagnose';
import { KubeClient, WatchHandle } from './kube';
import { selectorString } from './plan';
import { Health, healthOf, HealthContext, WAITED_KINDS } from './readiness';
import { needsSettle, SettleTracker } from './settle';
import { displayName, KObject, keyOf, refOf } from './types';

export interface Grace {
  /** Unschedulable pods: how long before we call it (a cluster autoscaler may add a node). */
  unschedulableMs: number;
  /** Pods waiting for a volume / PVCs pending with immediate binding. */
  volumeMs: number;
  /** ErrImagePull before it turns into ImagePullBackOff. */
  imagePullMs: number;
  /** Container config errors that are not a missing Secret/ConfigMap (kubelet cache sync). */
  configMs: number;
  /** Containers without a readiness probe must be seen running this long (see settle.ts). */
  settleMs: number;
}

const DEFAULT_GRACE: Grace = { unschedulableMs: 10_000, volumeMs: 30_000, imagePullMs: 20_000, configMs: 20_000, settleMs: 3_000 };

export interface WaitOptions {
  timeoutMs: number;
  /** Label selector matching every tracked object (the app label). */
  labelSelector: string;
  onUpdate?: (name: string, health: Health) => void;
  /** HTTP check through the ingress controller for Ingresses whose controller publishes no address. */
  ingressProbe?: (ing: KObject) => Promise<{ ok: boolean; detail: string }>;
  grace?: Partial<Grace>;
}

interface Entry {
  key: string;
  name: string;
  obj: KObject;
  minGeneration: number;
  health?: Health;
  routed?: { ok: boolean; detail: string };
  /** Readiness also needs its pods to settle (set for workloads that were not ready when waiting began). */
  settle?: boolean;
  settleTimer?: boolean;
}

const STORAGE_DEFAULT_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';

export function needsWait(obj: KObject): boolean {
  return WAITED_KINDS.has(obj.kind);
}

/** Resolve when every object is ready; reject DeployFailure/DeployTimeout with the reason. */
export function waitForReady(client: KubeClient, applied: KObject[], opts: WaitOptions): Promise<void> {
  return new Waiter(client, applied.filter(needsWait), opts).run();
}

class Waiter {
  private readonly entries = new Map<string, Entry>();
  private readonly slices = new Map<string, Map<string, KObject>>(); // service key -> slice name -> slice
  private readonly storageClasses = new Map<string, KObject | null>();
  private readonly pendingProblems = new Map<string, { problem: PodProblem; since: number }>();
  private readonly rsHashes = new Map<string, string | undefined>(); // deployment key@generation -> pod-template-hash
  private readonly watches: WatchHandle[] = [];
  private readonly pvcDeadlines = new Set<string>();
  private readonly pods = new Map<string, Map<string, KObject>>(); // workload key -> pod key -> latest pod
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly grace: Grace;
  private readonly settle: SettleTracker;
  private done = false;
  private resolve!: () => void;
  private reject!: (e: Error) => void;

  constructor(
    private readonly client: KubeClient,
    objects: KObject[],
    private readonly opts: WaitOptions,
  ) {
    this.grace = { ...DEFAULT_GRACE, ...(opts.grace ?? {}) };
    this.settle = new SettleTracker(this.grace.settleMs);
    for (const obj of objects) {
      const key = keyOf(refOf(obj));
      this.entries.set(key, { key, name: displayName(refOf(obj)), obj, minGeneration: obj.metadata.generation ?? 0 });
    }
  }

  run(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
      if (this.entries.size === 0) return this.finish();
      this.timer(this.opts.timeoutMs, () => {
        this.podWarnings()
          .catch(() => [] as string[])
          .then((warnings) => this.finish(this.timeoutError(warnings)));
      });
      this.start().catch((e) => this.finish(e));
    });
  }

  private timer(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.done) fn();
    }, ms);
    this.timers.add(t);
  }

  private finish(err?: Error): void {
    if (this.done) return;
    this.done = true;
    for (const w of this.watches) w.stop();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    if (err) this.reject(err);
    else this.resolve();
  }

  private timeoutError(warnings: string[] = []): DeployTimeout {
    const waiting = [...this.entries.values()].filter((e) => e.health?.state !== 'ready');
    const lines = waiting.map((e) => `  ${e.name}: ${e.health?.message ?? 'no status yet'}`);
    const problems = [...this.pendingProblems.values()].map((p) => `  ${formatProblem(p.problem)}`);
    return new DeployTimeout(
      `timed out after ${Math.round(this.opts.timeoutMs / 1000)}s waiting for:\n${lines.join('\n')}` +
        (problems.length ? `\npod problems seen:\n${problems.join('\n')}` : '') +
        (warnings.length ? `\nrecent warnings of the app's pods:\n${warnings.map((w) => `  ${w}`).join('\n')}` : ''),
    );
  }

  /** Latest warning event per pod of the unready workloads (e.g. "Readiness probe failed: ... 503"). */
  private async podWarnings(): Promise<string[]> {
    const out: string[] = [];
    for (const e of this.entries.values()) {
      if (e.health?.state === 'ready') continue;
      const pods = [...(this.pods.get(e.key)?.values() ?? [])];
      if (pods.length === 0) continue;
      const ns = e.obj.metadata.namespace ?? 'default';
      const events = await this.client.list('v1', 'Event', { namespace: ns, fieldSelector: 'involvedObject.kind=Pod,type=Warning' });
      for (const pod of pods) {
        const last = events.filter((ev: any) => ev.involvedObject?.name === pod.metadata.name).pop() as any;
        if (last) out.push(`pod ${pod.metadata.name}: ${last.reason}: ${String(last.message).trim()}`);
      }
    }
    return out.slice(0, 10);
  }

  /** Evaluate from the apply results first: an unchanged app is ready without opening any watch. */
  private async start(): Promise<void> {
    await this.loadSlices();
    await this.loadStorageClasses();
    await this.probeIngresses();
    for (const e of this.entries.values()) this.evaluate(e);
    if (this.done || this.allReady()) return this.finish();
    // A workload already ready before we began (unchanged redeploy) is not re-judged by its pods.
    for (const e of this.entries.values()) {
      if (e.health?.state !== 'ready' && needsSettle(e.obj, this.grace.settleMs)) e.settle = true;
    }
    this.startWatches();
  }

  private allReady(): boolean {
    for (const e of this.entries.values()) if (e.health?.state !== 'ready') return false;
    return true;
  }

  private context(e: Entry): HealthContext {
    const ctx: HealthContext = { minGeneration: e.minGeneration };
    if (e.obj.kind === 'Service') ctx.slices = [...(this.slices.get(e.key)?.values() ?? [])];
    if (e.obj.kind === 'PersistentVolumeClaim') {
      const cls = this.storageClassKey(e.obj);
      if (this.storageClasses.has(cls)) ctx.pvc = { storageClass: this.storageClasses.get(cls) };
    }
    if (e.obj.kind === 'Ingress') ctx.ingress = { routed: e.routed };
    return ctx;
  }

  private evaluate(e: Entry): void {
    if (this.done) return;
    const h = this.settled(e, healthOf(e.obj, this.context(e)));
    const changed = !e.health || e.health.state !== h.state || e.health.message !== h.message;
    e.health = h;
    if (changed) this.opts.onUpdate?.(e.name, h);
    if (h.state === 'failed') return this.finish(new DeployFailure(`${e.name}: ${h.message}`, e.name));
    if (this.allReady()) return this.finish();
    if (e.obj.kind === 'PersistentVolumeClaim' && h.state === 'progressing' && !this.pvcDeadlines.has(e.key)) {
      // A claim with immediate binding that stays Pending: report its events instead of waiting for the timeout.
      this.pvcDeadlines.add(e.key);
      this.timer(this.grace.volumeMs, () => {
        if (e.health?.state === 'ready') return;
        this.describeClaim(e.obj.metadata.namespace ?? 'default', e.obj.metadata.name)
          .then((d) => this.finish(new DeployFailure(`${e.name}: claim does not bind after ${this.grace.volumeMs / 1000}s${d}`, e.name)))
          .catch(this.onWatchError);
      });
    }
  }

  /** Hold a ready workload at progressing until its probe-less containers have kept running. */
  private settled(e: Entry, h: Health): Health {
    if (h.state !== 'ready' || !e.settle) return h;
    const v = this.settle.verdict(e.obj, [...(this.pods.get(e.key)?.values() ?? [])], Date.now());
    if (v.settled) return h;
    if (v.recheckInMs !== undefined && !e.settleTimer) {
      e.settleTimer = true;
      this.timer(v.recheckInMs + 10, () => {
        e.settleTimer = false;
        this.evaluate(e);
      });
    }
    return { state: 'progressing', message: v.message };
  }

  private services(): Entry[] {
    return [...this.entries.values()].filter((e) => e.obj.kind === 'Service');
  }

  private byNamespace(list: Entry[]): Map<string, Entry[]> {
    const m = new Map<string, Entry[]>();
    for (const e of list) {
      const ns = e.obj.metadata.namespace ?? '';
      m.set(ns, [...(m.get(ns) ?? []), e]);
    }
    return m;
  }

  private sliceSelector(svcs: Entry[]): string {
    return `kubernetes.io/service-name in (${svcs.map((s) => s.obj.metadata.name).join(',')})`;
  }

  private addSlice(ns: string, slice: KObject, deleted: boolean): void {
    const svc = slice.metadata.labels?.['kubernetes.io/service-name'];
    if (!svc) return;
    const key = keyOf({ apiVersion: 'v1', kind: 'Service', namespace: ns, name: svc });
    const entry = this.entries.get(key);
    if (!entry) return;
    const m = this.slices.get(key) ?? new Map<string, KObject>();
    if (deleted) m.delete(slice.metadata.name);
    else m.set(slice.metadata.name, slice);
    this.slices.set(key, m);
    this.evaluate(entry);
  }

  private async loadSlices(): Promise<void> {
    const groups = this.byNamespace(this.services().filter((e) => e.obj.spec?.selector));
    await Promise.all(
      [...groups].map(async ([ns, svcs]) => {
        const items = await this.client.list('discovery.k8s.io/v1', 'EndpointSlice', {
          namespace: ns,
          labelSelector: this.sliceSelector(svcs),
        });
        for (const s of items) {
          const svc = s.metadata.labels?.['kubernetes.io/service-name'];
          const key = keyOf({ apiVersion: 'v1', kind: 'Service', namespace: ns, name: svc ?? '' });
          const m = this.slices.get(key) ?? new Map<string, KObject>();
          m.set(s.metadata.name, s);
          this.slices.set(key, m);
        }
      }),
    );
  }

  private storageClassKey(pvc: KObject): string {
    return pvc.spec?.storageClassName ?? '';
  }

  private async loadStorageClasses(): Promise<void> {
    const pvcs = [...this.entries.values()].filter((e) => e.obj.kind === 'PersistentVolumeClaim' && e.obj.status?.phase !== 'Bound');
    const names = new Set(pvcs.map((e) => this.storageClassKey(e.obj)));
    if (names.size === 0) return;
    const all = await this.client.list('storage.k8s.io/v1', 'StorageClass');
    for (const n of names) {
      const found = n
        ? all.find((c) => c.metadata.name === n)
        : all.find((c) => c.metadata.annotations?.[STORAGE_DEFAULT_ANNOTATION] === 'true');
      this.storageClasses.set(n, found ?? null);
    }
  }

  private async probeIngresses(): Promise<void> {
    const probe = this.opts.ingressProbe;
    if (!probe) return;
    const pending = [...this.entries.values()].filter(
      (e) => e.obj.kind === 'Ingress' && !(e.obj.status?.loadBalancer?.ingress ?? []).length && !e.routed?.ok,
    );
    await Promise.all(
      pending.map(async (e) => {
        try {
          e.routed = await probe(e.obj);
        } catch (err) {
          e.routed = { ok: false, detail: (err as Error).message };
        }
      }),
    );
  }

  /** Re-probe Ingresses without a published address once a second (HTTP has no watch). */
  private scheduleIngressProbe(): void {
    if (!this.opts.ingressProbe) return;
    const pending = [...this.entries.values()].some((e) => e.obj.kind === 'Ingress' && e.health?.state !== 'ready');
    if (!pending) return;
    this.timer(1000, () => {
      this.probeIngresses()
        .then(() => {
          for (const e of this.entries.values()) if (e.obj.kind === 'Ingress') this.evaluate(e);
          this.scheduleIngressProbe();
        })
        .catch((err) => this.finish(err));
    });
  }

  private onWatchError = (err: Error): void => this.finish(err);

  private startWatches(): void {
    const { labelSelector } = this.opts;
    // One watch per kind and namespace for the tracked objects themselves.
    const groups = new Map<string, Entry[]>();
    for (const e of this.entries.values()) {
      const g = `${e.obj.apiVersion}|${e.obj.kind}|${e.obj.metadata.namespace ?? ''}`;
      groups.set(g, [...(groups.get(g) ?? []), e]);
    }
    for (const [g, list] of groups) {
      const [apiVersion, kind, ns] = g.split('|');
      if (list.every((e) => e.health?.state === 'ready')) continue;
      this.client
        .collectionPath(apiVersion, kind, ns || undefined)
        .then((path) => {
          if (this.done) return;
          this.watches.push(
            this.client.watch(
              path,
              { labelSelector },
              (ev) => {
                const key = keyOf(refOf({ ...ev.object, apiVersion, kind } as KObject));
                const entry = this.entries.get(key);
                if (!entry || ev.type === 'DELETED') return;
                entry.obj = { ...ev.object, apiVersion, kind } as KObject;
                this.evaluate(entry);
                if (kind === 'Deployment' || kind === 'StatefulSet') this.recheckPods(entry);
              },
              this.onWatchError,
            ),
          );
        })
        .catch(this.onWatchError);
    }
    // EndpointSlices for Services (readiness = ready endpoints).
    for (const [ns, svcs] of this.byNamespace(this.services().filter((e) => e.health?.state !== 'ready'))) {
      this.client
        .collectionPath('discovery.k8s.io/v1', 'EndpointSlice', ns)
        .then((path) => {
          if (this.done) return;
          this.watches.push(
            this.client.watch(
              path,
              { labelSelector: this.sliceSelector(svcs) },
              (ev) => this.addSlice(ns, ev.object, ev.type === 'DELETED'),
              this.onWatchError,
            ),
          );
        })
        .catch(this.onWatchError);
    }
    // Pods of each workload, for early diagnosis.
    for (const e of this.entries.values()) {
      if (!['Deployment', 'StatefulSet', 'DaemonSet'].includes(e.obj.kind) || e.health?.state === 'ready') continue;
      const selector = selectorString(e.obj.spec?.selector);
      if (!selector) continue;
      const ns = e.obj.metadata.namespace ?? 'default';
      this.watches.push(
        this.client.watch(
          `/api/v1/namespaces/${encodeURIComponent(ns)}/pods`,
          { labelSelector: selector },
          (ev) => {
            this.onPod(e, ev.object, ev.type === 'DELETED').catch(this.onWatchError);
          },
          this.onWatchError,
        ),
      );
    }
    this.scheduleIngressProbe();
  }

  /** pod-template-hash of the Deployment's newest ReplicaSet (the revision being rolled out). */
  private async currentHash(d: Entry): Promise<string | undefined> {
    const cacheKey = `${d.key}@${d.obj.metadata.generation}@${d.obj.status?.observedGeneration}`;
    if (this.rsHashes.has(cacheKey)) return this.rsHashes.get(cacheKey);
    if ((d.obj.status?.observedGeneration ?? 0) < (d.obj.metadata.generation ?? 0)) return undefined;
    const rss = await this.client.list('apps/v1', 'ReplicaSet', {
      namespace: d.obj.metadata.namespace,
      labelSelector: selectorString(d.obj.spec?.selector),
    });
    const owned = rss.filter((rs) => (rs.metadata.ownerReferences ?? []).some((o) => o.uid === d.obj.metadata.uid));
    const rev = (rs: KObject): number => Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
    const newest = owned.sort((a, b) => rev(b) - rev(a))[0];
    const hash = newest?.metadata.labels?.['pod-template-hash'];
    // Cache only a found hash: right after an update the new ReplicaSet may not be listed yet.
    if (hash) this.rsHashes.set(cacheKey, hash);
    return hash;
  }

  /** Only pods of the revision being rolled out count: old pods of a previous bad deploy are going away. */
  private async isCurrentPod(w: Entry, pod: KObject): Promise<boolean> {
    const labels = pod.metadata.labels ?? {};
    if (w.obj.kind === 'StatefulSet') {
      const rev = w.obj.status?.updateRevision;
      return !rev || labels['controller-revision-hash'] === rev;
    }
    if (w.obj.kind === 'Deployment') {
      const hash = await this.currentHash(w);
      return hash !== undefined && labels['pod-template-hash'] === hash;
    }
    return true;
  }

  private async onPod(w: Entry, pod: KObject, deleted: boolean): Promise<void> {
    const podKey = `${pod.metadata.namespace}/${pod.metadata.name}`;
    const pods = this.pods.get(w.key) ?? new Map<string, KObject>();
    if (deleted) pods.delete(podKey);
    else pods.set(podKey, pod);
    this.pods.set(w.key, pods);
    this.settle.observe(pod, Date.now());
    if (w.settle) this.evaluate(w);
    await this.checkPod(w, pod, deleted);
  }

  /** The workload changed (e.g. its new ReplicaSet/revision is known now): judge its pods again. */
  private recheckPods(w: Entry): void {
    for (const pod of this.pods.get(w.key)?.values() ?? []) this.checkPod(w, pod, false).catch(this.onWatchError);
  }

  private async checkPod(w: Entry, pod: KObject, deleted: boolean): Promise<void> {
    if (this.done) return;
    const podKey = `${pod.metadata.namespace}/${pod.metadata.name}`;
    const problem = deleted || pod.metadata.deletionTimestamp ? undefined : diagnosePod(pod);
    if (!problem || !(await this.isCurrentPod(w, pod))) {
      this.pendingProblems.delete(podKey);
      return;
    }
    if (this.done) return;
    const seen = this.pendingProblems.get(podKey);
    if (!seen || seen.problem.message !== problem.message) this.opts.onUpdate?.(w.name, { state: 'progressing', message: problem.message });
    if (problem.immediate) return this.fail(w, problem);
    if (seen && seen.problem.kind === problem.kind) {
      seen.problem = problem;
      return;
    }
    this.pendingProblems.set(podKey, { problem, since: Date.now() });
    const grace = {
      volume: this.grace.volumeMs,
      image: this.grace.imagePullMs,
      config: this.grace.configMs,
      unschedulable: this.grace.unschedulableMs,
      crash: 0,
      'pod-failed': 0,
    }[problem.kind];
    this.timer(grace, () => {
      const still = this.pendingProblems.get(podKey);
      const latest = this.pods.get(w.key)?.get(podKey) ?? pod;
      if (still && still.problem.kind === problem.kind) this.fail(w, still.problem, latest).catch(this.onWatchError);
    });
  }

  private async fail(w: Entry, problem: PodProblem, pod?: KObject): Promise<void> {
    if (this.done) return;
    let detail = '';
    if (problem.kind === 'crash' && problem.container && problem.namespace) {
      detail = await this.client
        .logs(problem.namespace, problem.pod, problem.container, { tailLines: 20, previous: true })
        .catch((e) => `(could not read logs: ${(e as Error).message})`);
    }
    let text = formatProblem(problem, detail);
    if (problem.kind === 'volume' && pod) text += await this.describeClaims(pod);
    this.finish(new DeployFailure(`${w.name}: ${text}`, w.name));
  }

  /** For a pod stuck on storage: each claim's phase and its latest warning event. */
  private async describeClaims(pod: KObject): Promise<string> {
    const ns = pod.metadata.namespace ?? 'default';
    const lines = await Promise.all(podClaims(pod).map((claim) => this.describeClaim(ns, claim)));
    return lines.join('');
  }

  private async describeClaim(ns: string, claim: string): Promise<string> {
    const pvc = await this.client.get({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: ns, name: claim });
    const events = await this.client
      .list('v1', 'Event', { namespace: ns, fieldSelector: `involvedObject.kind=PersistentVolumeClaim,involvedObject.name=${claim}` })
      .catch(() => [] as KObject[]);
    const warn = events.filter((e: any) => e.type === 'Warning').pop() as any;
    return (
      `\n  PVC ${claim}: ${pvc ? (pvc.status?.phase ?? 'no phase') : 'does not exist'}` +
      (pvc?.spec?.storageClassName ? `, StorageClass ${pvc.spec.storageClassName}` : '') +
      (warn ? ` — ${warn.reason}: ${warn.message}` : '')
    );
  }
}
