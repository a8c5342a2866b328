/**
 * The pods of each waited workload, as its pod watch last showed them, and
 * the settle gate: a workload whose status says ready is held at
 * progressing until its containers without a readiness probe have kept
 * running (see health/settle.ts).
 */
import type { Health } from '../../health/readiness';
import { isWorkload } from '../../health/readiness';
import { needsSettle, SettleTracker } from '../../health/settle';
import type { KObject } from '../../kube/types';
import type { WaitScope } from './scope';
import type { Tracked } from './tracked';

export const podKeyOf = (pod: KObject): string => `${pod.metadata.namespace}/${pod.metadata.name}`;

export class PodStore {
  private readonly byWorkload = new Map<string, Map<string, KObject>>(); // workload key -> pod key -> latest pod

  update(workload: Tracked, pod: KObject, deleted: boolean): void {
    const pods = this.byWorkload.get(workload.key) ?? new Map<string, KObject>();
    if (deleted) pods.delete(podKeyOf(pod));
    else pods.set(podKeyOf(pod), pod);
    this.byWorkload.set(workload.key, pods);
  }

  of(workload: Tracked): KObject[] {
    return [...(this.byWorkload.get(workload.key)?.values() ?? [])];
  }

  latest(workload: Tracked, podKey: string): KObject | undefined {
    return this.byWorkload.get(workload.key)?.get(podKey);
  }
}

export class SettleGate {
  private readonly tracker: SettleTracker;
  private readonly gated = new Set<string>(); // workload keys whose readiness waits for their pods to settle
  private readonly rechecks = new Set<string>(); // workload keys with a re-judgement scheduled

  constructor(
    private readonly settleMs: number,
    private readonly pods: PodStore,
    private readonly scope: WaitScope,
    private readonly recheck: (t: Tracked) => void,
  ) {
    this.tracker = new SettleTracker(settleMs);
  }

  /** Gate a workload that was not ready when waiting began (an unchanged redeploy is not re-judged by its pods). */
  gate(t: Tracked): void {
    if (isWorkload(t.obj) && needsSettle(t.obj, this.settleMs)) this.gated.add(t.key);
  }

  isGated(t: Tracked): boolean {
    return this.gated.has(t.key);
  }

  observe(pod: KObject): void {
    this.tracker.observe(pod, this.scope.now());
  }

  /** The workload's health, held at progressing while its pods have not settled yet. */
  hold(t: Tracked, h: Health): Health {
    if (h.state !== 'ready' || !this.gated.has(t.key)) return h;
    const v = this.tracker.verdict(t.obj, this.pods.of(t), this.scope.now());
    if (v.settled) return h;
    if (v.recheckInMs !== undefined && !this.rechecks.has(t.key)) {
      this.rechecks.add(t.key);
      this.scope.after(v.recheckInMs + 10, () => {
        this.rechecks.delete(t.key);
        this.recheck(t);
      });
    }
    return { state: 'progressing', message: v.message };
  }
}
