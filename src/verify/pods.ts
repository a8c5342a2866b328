/** Pure helpers over pod status for verify's checks (unit-tested; no API calls). */
import type { V1Pod } from '@kubernetes/client-node';
import { diagnosePod, NO_GRACE } from '../health/diagnose';
import { isReady } from '../health/pod-state';
import type { KObject } from '../kube/types';

export { describePods, isReady, restarts } from '../health/pod-state';

/**
 * Why a pod will not become ready without someone fixing something, or undefined if it may still get there:
 * health's pod diagnosis with no grace (verify runs after a deploy succeeded). A container that already
 * restarted `maxRestarts` times counts as crash-looping even before the back-off shows. A trouble the
 * kubelet retries by itself (a Secret cache that did not sync in time) is waited for, up to the deadline.
 */
export function hopelessReason(p: V1Pod, maxRestarts = 2): string | undefined {
  const problem = diagnosePod(p as unknown as KObject, { ...NO_GRACE, maxRestarts });
  return problem?.immediate ? `pod ${problem.pod}: ${problem.message}` : undefined;
}

/** Ready, non-terminating pods that are not in `exclude`. */
export function readyPods(pods: V1Pod[], exclude: Set<string> = new Set()): V1Pod[] {
  return pods.filter((p) => isReady(p) && !exclude.has(p.metadata!.name!));
}
