/**
 * The wait loop: driven by watches (the server pushes every status change),
 * judged by the readiness rules of health/readiness.ts, and cut short by pod
 * diagnosis when something will not fix itself. Timers are only deadlines,
 * never polling of the cluster; the one exception is the optional Ingress
 * HTTP probe, which has no watchable counterpart.
 *
 * This class only orchestrates: each collaborator owns its state (slices,
 * claims, ingress routes, pods and revisions, pod problems) and the
 * explainer writes the failure and timeout texts.
 */
import type { PodProblem } from '../../health/diagnose';
import { DEPLOYMENT, healthOf, HealthContext, INGRESS, isWorkload, PVC, SERVICE, STATEFUL_SET } from '../../health/readiness';
import type { KubeClient } from '../../kube/client';
import { KObject, keyOf, refOf } from '../../kube/types';
import { DeployFailure } from '../errors';
import { selectorString } from '../../contract';
import { Claims } from './claims';
import { Endpoints } from './endpoints';
import { Explainer } from './explain';
import { IngressRoutes } from './ingress';
import { DEFAULT_GRACE, Grace, realClock, WaitOptions } from './options';
import { PodStore, SettleGate } from './pods';
import { PodProblems } from './problems';
import { Revisions } from './revisions';
import { WaitScope } from './scope';
import { Tracked, TrackedSet } from './tracked';

export class Waiter {
  private readonly tracked: TrackedSet;
  private readonly grace: Grace;
  private readonly explain: Explainer;
  private readonly pods = new PodStore();
  private scope!: WaitScope;
  private endpoints!: Endpoints;
  private claims!: Claims;
  private ingresses!: IngressRoutes;
  private settle!: SettleGate;
  private problems!: PodProblems;

  constructor(
    private readonly client: KubeClient,
    objects: KObject[],
    private readonly opts: WaitOptions,
  ) {
    this.tracked = new TrackedSet(objects);
    this.grace = { ...DEFAULT_GRACE, ...(opts.grace ?? {}) };
    this.explain = new Explainer(client);
  }

  run(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.scope = new WaitScope(this.opts.clock ?? realClock, (err) => (err ? reject(err) : resolve()));
      const reevaluate = (t: Tracked): void => this.evaluate(t);
      this.endpoints = new Endpoints(this.client, this.tracked, this.scope, reevaluate);
      this.claims = new Claims(this.client, this.scope, this.explain, this.grace.volumeMs);
      this.ingresses = new IngressRoutes(this.opts.ingressProbe, this.tracked, this.scope, reevaluate);
      this.settle = new SettleGate(this.grace.settleMs, this.pods, this.scope, reevaluate);
      this.problems = new PodProblems(
        this.scope,
        this.grace,
        this.pods,
        new Revisions(this.client),
        (w, h) => this.opts.onUpdate?.(w.name, h),
        (w, problem, pod) => this.failOnPod(w, problem, pod),
      );
      if (this.tracked.size === 0) return this.scope.finish();
      this.scope.after(this.opts.timeoutMs, () => {
        const unready = this.tracked
          .unready()
          .filter((t) => isWorkload(t.obj))
          .map((t) => ({ workload: t.name, name: t.obj.metadata.name, namespace: t.obj.metadata.namespace ?? 'default', pods: this.pods.of(t) }));
        this.explain
          .timeout(this.opts.timeoutMs, unready, () => ({ waiting: this.tracked.unready(), problems: this.problems.list() }))
          .then((err) => this.scope.finish(err));
      });
      this.start().catch(this.scope.fail);
    });
  }

  /** Evaluate from the apply results first: an unchanged app is ready without opening any watch. */
  private async start(): Promise<void> {
    await this.endpoints.load();
    await this.claims.load(this.tracked);
    await this.ingresses.probe();
    for (const t of this.tracked.all()) this.evaluate(t);
    if (this.scope.done || this.tracked.allReady()) return this.scope.finish();
    for (const t of this.tracked.unready()) this.settle.gate(t);
    this.watchTracked();
    this.endpoints.watch();
    this.watchPods();
    this.ingresses.schedule();
  }

  private context(t: Tracked): HealthContext {
    const ctx: HealthContext = { minGeneration: t.minGeneration };
    if (t.groupKind === SERVICE) ctx.slices = this.endpoints.of(t);
    if (t.groupKind === PVC) ctx.pvc = this.claims.context(t.obj);
    if (t.groupKind === INGRESS) ctx.ingress = this.ingresses.context(t);
    return ctx;
  }

  private evaluate(t: Tracked): void {
    if (this.scope.done) return;
    const h = this.settle.hold(t, healthOf(t.obj, this.context(t)));
    const changed = !t.health || t.health.state !== h.state || t.health.message !== h.message;
    t.health = h;
    if (changed) this.opts.onUpdate?.(t.name, h);
    if (h.state === 'failed') return this.scope.finish(new DeployFailure(`${t.name}: ${h.message}`, t.name));
    if (this.tracked.allReady()) return this.scope.finish();
    if (t.groupKind === PVC && h.state === 'progressing') this.claims.expectBinding(t);
  }

  /** One watch per kind and namespace for the tracked objects themselves. */
  private watchTracked(): void {
    const groups = new Map<string, Tracked[]>();
    for (const t of this.tracked.all()) {
      const g = `${t.obj.apiVersion}|${t.obj.kind}|${t.obj.metadata.namespace ?? ''}`;
      groups.set(g, [...(groups.get(g) ?? []), t]);
    }
    for (const [g, list] of groups) {
      const [apiVersion, kind, ns] = g.split('|');
      if (list.every((t) => t.health?.state === 'ready')) continue;
      this.scope.watchKind(this.client, apiVersion, kind, ns || undefined, { labelSelector: this.opts.labelSelector }, (ev) => {
        const obj = { ...ev.object, apiVersion, kind } as KObject;
        const t = this.tracked.get(keyOf(refOf(obj)));
        if (!t || ev.type === 'DELETED') return;
        t.obj = obj;
        this.evaluate(t);
        if (t.groupKind === DEPLOYMENT || t.groupKind === STATEFUL_SET) this.problems.recheck(t);
      });
    }
  }

  /** The pods of each unready workload, for early diagnosis and the settle gate. */
  private watchPods(): void {
    for (const w of this.tracked.unready()) {
      if (!isWorkload(w.obj)) continue;
      const selector = selectorString(w.obj.spec?.selector);
      if (!selector) continue;
      const ns = w.obj.metadata.namespace ?? 'default';
      this.scope.watchPath(this.client, `/api/v1/namespaces/${encodeURIComponent(ns)}/pods`, { labelSelector: selector }, (ev) => {
        this.onPod(w, ev.object, ev.type === 'DELETED').catch(this.scope.fail);
      });
    }
  }

  private async onPod(w: Tracked, pod: KObject, deleted: boolean): Promise<void> {
    this.pods.update(w, pod, deleted);
    this.settle.observe(pod);
    if (this.settle.isGated(w)) this.evaluate(w);
    await this.problems.check(w, pod, deleted);
  }

  private async failOnPod(w: Tracked, problem: PodProblem, pod?: KObject): Promise<void> {
    if (this.scope.done) return;
    this.scope.finish(await this.explain.podFailure(w.name, problem, pod));
  }
}
