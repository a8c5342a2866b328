/**
 * A pod's state in a few words, for messages of deploy (a timeout) and
 * verify (a failed check): pure functions over pod status.
 */
import type { V1Pod } from '@kubernetes/client-node';

function isTerminating(p: V1Pod): boolean {
  return !!p.metadata?.deletionTimestamp;
}

export function isReady(p: V1Pod): boolean {
  return !isTerminating(p) && !!p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
}

export function restarts(p: V1Pod): number {
  return (p.status?.containerStatuses ?? []).reduce((s, c) => s + (c.restartCount ?? 0), 0);
}

/** Short state for error messages: `web-abc: Running ready restarts=0`. */
export function describePods(pods: V1Pod[]): string {
  if (!pods.length) return 'no pods';
  return pods
    .map((p) => {
      const waiting = (p.status?.containerStatuses ?? []).map((c) => c.state?.waiting?.reason).filter(Boolean);
      const state = isTerminating(p) ? 'Terminating' : (p.status?.phase ?? 'Unknown');
      return `${p.metadata?.name}: ${state}${isReady(p) ? ' ready' : ' not-ready'}${waiting.length ? ` (${waiting.join(',')})` : ''} restarts=${restarts(p)}`;
    })
    .join('; ');
}
