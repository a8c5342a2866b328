import type { V1Pod } from '@kubernetes/client-node';
import { CONFIG_REASONS, CRASH_REASON, IMAGE_REASONS } from '../deploy/diagnose';

/** Pure helpers over pod status (unit-tested; no API calls). */

function isTerminating(p: V1Pod): boolean {
  return !!p.metadata?.deletionTimestamp;
}

export function isReady(p: V1Pod): boolean {
  return !isTerminating(p) && !!p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
}

export function restarts(p: V1Pod): number {
  return (p.status?.containerStatuses ?? []).reduce((s, c) => s + (c.restartCount ?? 0), 0);
}

// The same waiting reasons deploy diagnoses; verify waits after a deploy succeeded, so it allows no grace.
const HOPELESS = new Set([CRASH_REASON, ...IMAGE_REASONS, ...CONFIG_REASONS]);

/**
 * Why a pod will not become ready without someone fixing something, or
 * undefined if it may still get there. A container that already restarted
 * `maxRestarts` times counts as crash-looping even before the back-off shows.
 */
export function hopelessReason(p: V1Pod, maxRestarts = 2): string | undefined {
  if (isTerminating(p)) return undefined;
  const name = p.metadata?.name;
  for (const c of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]) {
    const w = c.state?.waiting;
    if (w?.reason && HOPELESS.has(w.reason)) {
      const last = c.lastState?.terminated;
      const exit = last ? ` (last exit code ${last.exitCode}${last.reason ? `, ${last.reason}` : ''})` : '';
      return `pod ${name} container ${c.name}: ${w.reason}${exit}, restarts ${c.restartCount}`;
    }
    if ((c.restartCount ?? 0) >= maxRestarts && !c.ready) {
      return `pod ${name} container ${c.name} restarted ${c.restartCount} times and is not ready (crash loop)`;
    }
  }
  const unsched = p.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  if (unsched?.reason === 'Unschedulable') return `pod ${name} unschedulable: ${unsched.message ?? ''}`.trim();
  return undefined;
}

/** Short state for error messages: `web-abc: Running ready restarts=0`. */
export function describePods(pods: V1Pod[]): string {
  if (!pods.length) return 'no pods';
  return pods
    .map((p) => {
      const waiting = (p.status?.containerStatuses ?? []).map((c) => c.state?.waiting?.reason).filter(Boolean);
      const state = isTerminating(p) ? 'Terminating' : p.status?.phase ?? 'Unknown';
      return `${p.metadata?.name}: ${state}${isReady(p) ? ' ready' : ' not-ready'}${waiting.length ? ` (${waiting.join(',')})` : ''} restarts=${restarts(p)}`;
    })
    .join('; ');
}

/** Ready, non-terminating pods that are not in `exclude`. */
export function readyPods(pods: V1Pod[], exclude: Set<string> = new Set()): V1Pod[] {
  return pods.filter((p) => isReady(p) && !exclude.has(p.metadata!.name!));
}
