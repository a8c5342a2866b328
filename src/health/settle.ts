/**
 * A container without a readiness probe counts as ready the moment it
 * starts, so a workload whose process exits right after start can look
 * available for an instant before it crash-loops. Its controller will not
 * catch that (minReadySeconds is 0 by default), so deploy holds such a
 * workload's readiness until every current pod's probe-less containers have
 * been seen running, without a restart, for a short settle time.
 *
 * Times are when *we* first saw a container instance running (local clock),
 * not the node's startedAt, so clock skew between us and the cluster does
 * not matter.
 */
import type { KObject } from '../kube/types';

export interface SettleVerdict {
  settled: boolean;
  /** When not settled: how long until it may be (re-check then), or undefined while waiting for pod events. */
  recheckInMs?: number;
  message: string;
}

/** Names of the pod template's containers that have no readiness probe (empty = nothing to settle). */
export function probelessContainers(workload: KObject): string[] {
  const containers = (workload.spec?.template?.spec?.containers ?? []) as { name: string; readinessProbe?: unknown }[];
  return containers.filter((c) => !c.readinessProbe).map((c) => c.name);
}

/** Whether deploy must watch the workload's pods settle before calling it ready. */
export function needsSettle(workload: KObject, settleMs: number): boolean {
  if (settleMs <= 0) return false;
  if ((workload.spec?.minReadySeconds ?? 0) * 1000 >= settleMs) return false; // the controller already waits
  return probelessContainers(workload).length > 0;
}

function wantedReplicas(workload: KObject): number {
  if (workload.kind === 'DaemonSet') return workload.status?.desiredNumberScheduled ?? 0;
  return workload.spec?.replicas ?? 1;
}

/**
 * Remembers, per running container instance (pod uid + container + restart
 * count), when it was first seen running.
 */
export class SettleTracker {
  private readonly firstRunning = new Map<string, number>();

  constructor(private readonly settleMs: number) {}

  /** Record a pod event. */
  observe(pod: KObject, now: number): void {
    for (const cs of (pod.status?.containerStatuses ?? []) as any[]) {
      if (!cs.state?.running) continue;
      const key = this.key(pod, cs.name, cs.restartCount ?? 0);
      if (!this.firstRunning.has(key)) this.firstRunning.set(key, now);
    }
  }

  /** Judge a workload whose own status already says ready, from its live (not terminating) pods. */
  verdict(workload: KObject, pods: KObject[], now: number): SettleVerdict {
    const names = probelessContainers(workload);
    const live = pods.filter((p) => !p.metadata.deletionTimestamp);
    const want = wantedReplicas(workload);
    const secs = (this.settleMs / 1000).toFixed(0);
    if (live.length < want) {
      return { settled: false, message: `waiting to see ${want} pod(s) keep running for ${secs}s (no readiness probe)` };
    }
    let longest = 0;
    for (const pod of live) {
      for (const name of names) {
        const cs = ((pod.status?.containerStatuses ?? []) as any[]).find((c) => c.name === name);
        if (!cs?.state?.running) {
          return { settled: false, message: `pod ${pod.metadata.name} container ${name} is not running` };
        }
        const seen = this.firstRunning.get(this.key(pod, name, cs.restartCount ?? 0));
        const left = seen === undefined ? this.settleMs : seen + this.settleMs - now;
        longest = Math.max(longest, left);
      }
    }
    if (longest > 0) {
      return { settled: false, recheckInMs: longest, message: `checking that containers without a readiness probe keep running (${secs}s)` };
    }
    return { settled: true, message: `containers kept running for ${secs}s` };
  }

  private key(pod: KObject, container: string, restarts: number): string {
    return `${pod.metadata.uid ?? pod.metadata.name}/${container}/${restarts}`;
  }
}
