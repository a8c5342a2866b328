import type { TrafficFigures } from '../checks/node-traffic';
import { failureSpans } from './timeline';

/** The node-failure check's verdict from its measured figures (pure; unit-tested). */

/**
 * Pass marks of the node-failure check.
 * - Ingress >= 99 %: the Ingress controller retries a request whose connection to a pod fails on
 *   another endpoint, so only requests already sent to the dead pod can fail: a few, not 1 %.
 * - Service traffic recovered within 90 s: requests through the ClusterIP keep reaching the dead
 *   pod until the control plane marks the node (node-monitor-grace-period, 40-50 s by default,
 *   +5 s monitor period) and kube-proxy drops the endpoint. berth cannot shorten that from the app,
 *   so the Service is judged by its recovery time; its % depends on how long the window was.
 */
export const NODE_FAILURE_THRESHOLDS = { ingressPercent: 99, serviceRecoveredWithinMs: 90_000 };

export const secs = (ms?: number) => (ms === undefined ? 'never' : `${(ms / 1000).toFixed(1)} s`);

export interface Timings {
  replacedAfterMs?: number;
  waitError?: string;
  notReadyAfterMs?: number;
  backAfterMs?: number;
  restoreError?: string;
}

/** Pass or fail one WebApp from its measured figures (see NODE_FAILURE_THRESHOLDS). */
export function judge(replicas: number, node: string, f: TrafficFigures, t: Timings, counts: string): { ok: boolean; reason: string } {
  const svc = f.service;
  const ing = f.ingress;
  const parts = [
    ing
      ? `Ingress ${ing.percent}% answered (${ing.failed}/${ing.requests} failed, recovered after ${secs(ing.recoveredAfterMs)}; ${failureSpans(ing.perSecond)})`
      : undefined,
    svc
      ? `Service ${svc.percent}% (${svc.failed}/${svc.requests} failed, recovered after ${secs(svc.recoveredAfterMs)}; ${failureSpans(svc.perSecond)})`
      : undefined,
    `node NotReady after ${secs(t.notReadyAfterMs)}`,
    `replacements ready after ${secs(t.replacedAfterMs)}`,
    t.backAfterMs !== undefined ? `node back after ${secs(t.backAfterMs)}` : `node NOT back${t.restoreError ? `: ${t.restoreError}` : ''}`,
  ].filter(Boolean);
  const summary = `node ${node} stopped: ${parts.join('; ')}`;
  const fail = (why: string) => ({ ok: false, reason: `${why} — ${summary}` });
  if (replicas < 2)
    return fail(`not highly available: 1 replica, so its node failing leaves the Service without a ready endpoint (${counts}); set replicas >= 2`);
  const setup = [f.serviceError, f.ingressError].filter(Boolean);
  if (setup.length) return fail(`traffic could not be measured: ${setup.join('; ')}`);
  if (t.waitError) return fail(`no replacement became ready elsewhere: ${t.waitError}`);
  if (ing && ing.percent < NODE_FAILURE_THRESHOLDS.ingressPercent)
    return fail(`only ${ing.percent}% of requests through the Ingress were answered (threshold ${NODE_FAILURE_THRESHOLDS.ingressPercent}%)`);
  const limit = NODE_FAILURE_THRESHOLDS.serviceRecoveredWithinMs;
  if (svc && (svc.recoveredAfterMs === undefined || svc.recoveredAfterMs > limit))
    return fail(`traffic through the Service did not recover within ${limit / 1000} s`);
  if (t.backAfterMs === undefined) return fail(`node ${node} did not come back`);
  return { ok: true, reason: summary };
}
