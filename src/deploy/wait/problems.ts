/**
 * Pod problems of the revision being rolled out: reported as progress at
 * once, and a failure either at once (definitive ones) or when the problem
 * is still there after its grace period (scheduling, volumes and pulls may
 * fix themselves).
 */
import { diagnosePod, PodProblem } from '../../health/diagnose';
import type { Health } from '../../health/readiness';
import type { KObject } from '../../kube/types';
import { Grace, graceFor } from './options';
import { podKeyOf, PodStore } from './pods';
import type { Revisions } from './revisions';
import type { WaitScope } from './scope';
import type { Tracked } from './tracked';

export type PodFailureHandler = (workload: Tracked, problem: PodProblem, pod?: KObject) => Promise<void>;

export class PodProblems {
  private readonly pending = new Map<string, PodProblem>(); // pod key -> problem within its grace period

  constructor(
    private readonly scope: WaitScope,
    private readonly grace: Grace,
    private readonly pods: PodStore,
    private readonly revisions: Revisions,
    private readonly report: (workload: Tracked, h: Health) => void,
    private readonly fail: PodFailureHandler,
  ) {}

  /** Problems waiting out their grace period (for the timeout text). */
  list(): PodProblem[] {
    return [...this.pending.values()];
  }

  /** Judge every pod of a workload again (e.g. its new ReplicaSet/revision is known now). */
  recheck(w: Tracked): void {
    for (const pod of this.pods.of(w)) this.check(w, pod, false).catch(this.scope.fail);
  }

  async check(w: Tracked, pod: KObject, deleted: boolean): Promise<void> {
    if (this.scope.done) return;
    const podKey = podKeyOf(pod);
    const problem = deleted || pod.metadata.deletionTimestamp ? undefined : diagnosePod(pod);
    if (!problem || !(await this.revisions.isCurrent(w, pod))) {
      this.pending.delete(podKey);
      return;
    }
    if (this.scope.done) return;
    const seen = this.pending.get(podKey);
    if (!seen || seen.message !== problem.message) this.report(w, { state: 'progressing', message: problem.message });
    if (problem.immediate) return this.fail(w, problem);
    if (seen && seen.kind === problem.kind) {
      this.pending.set(podKey, problem);
      return;
    }
    this.pending.set(podKey, problem);
    this.scope.after(graceFor(problem.kind, this.grace), () => {
      const still = this.pending.get(podKey);
      const latest = this.pods.latest(w, podKey) ?? pod;
      if (still && still.kind === problem.kind) this.fail(w, still, latest).catch(this.scope.fail);
    });
  }
}
