import type { V1Pod, V1Service } from '@kubernetes/client-node';
import { describePods, hopelessReason, readyPods, restarts } from '../pods';
import { startServiceProbe, ServiceProbe } from '../probe';
import { WebTarget } from '../target';
import { selectorString } from '../../contract';
import { startHttpLoop, Tally, waitHealthy } from '../traffic';
import type { CheckResult, TimelineMarker, TrafficTimeline } from '../types';
import { mustGet, podRef } from '../kube';
import { ResourceWatch } from '../watch';
import { CheckContext, CheckOutcome, runCheck } from './context';
import { waitReady } from './ready';
import { observeStability, stabilityProblem } from './stability';

/**
 * Check 2: delete each pod of a WebApp one at a time; each replacement must
 * become ready (watched) and stay up (restart counts stable afterwards).
 * Meanwhile traffic runs through the Service (from a probe pod inside the
 * cluster) and through the Ingress host (from this machine) and failed
 * requests are counted for the availability check.
 */
export async function checkWebRestart(ctx: CheckContext, web: WebTarget): Promise<CheckResult[]> {
  const traffic: Traffic = {};
  const window = { from: 0, to: 0 };
  const markers: TimelineMarker[] = [];
  const restart = await runCheck('restart', web.name, async (details) => {
    const w = await ResourceWatch.pods(ctx.kube.client, web.namespace, selectorString(web.selector));
    try {
      await waitReady(ctx, w, `Deployment ${web.name} ready before the restart`, web.replicas);
      await startTraffic(ctx, web, traffic);
      const originals = readyPods(w.all)
        .map((p) => p.metadata!.name!)
        .sort();
      const seen = new Set(originals);
      const steps: Record<string, unknown>[] = [];
      window.from = Date.now();
      for (const pod of originals) {
        ctx.log(`restart: deleting pod ${pod} (Deployment ${web.name})`);
        const t0 = Date.now();
        await ctx.kube.client.delete(podRef(web.namespace, pod));
        await ctx.timing
          .k8s('web pod replaced (terminate + start + ready)', () =>
            w.until((ps) => !ps.some((p) => p.metadata?.name === pod) && readyPods(ps).length >= web.replicas, {
              timeoutMs: ctx.timeoutMs,
              what: `replacement for pod ${pod} of Deployment ${web.name}`,
              fail: (ps) =>
                ps
                  .filter((p) => !seen.has(p.metadata!.name!))
                  .map((p) => hopelessReason(p))
                  .find(Boolean),
              describe: describePods,
            }),
          )
          .catch(async (e: Error) => {
            const broken = w.all.find((p) => !seen.has(p.metadata!.name!) && hopelessReason(p));
            const tail = broken ? await lastLog(ctx, broken) : '';
            throw new CheckOutcome('fail', `${e.message}${tail ? `; last log: ${tail}` : ''}`, details);
          });
        const fresh = readyPods(w.all).filter((p) => !seen.has(p.metadata!.name!));
        fresh.forEach((p) => seen.add(p.metadata!.name!));
        steps.push({ deleted: pod, deletedAtMs: t0 - window.from, replacements: fresh.map((p) => p.metadata!.name), ms: Date.now() - t0 });
        markers.push({ atMs: t0 - window.from, kind: 'pod-deleted', label: `deleted ${pod}` });
        for (const p of fresh) markers.push({ atMs: Date.now() - window.from, kind: 'pod-ready', label: `ready ${p.metadata!.name}` });
        details.steps = steps;
      }
      // A replacement that crashes right after becoming ready shows up here.
      const stab = await ctx.timing.observe('observation window', () => observeStability(w, ctx.observeMs));
      window.to = Date.now();
      details.restartsAfter = Object.fromEntries(readyPods(w.all).map((p: V1Pod) => [p.metadata!.name!, restarts(p)]));
      const problem = stabilityProblem(stab, ctx.observeMs);
      if (problem) throw new CheckOutcome('fail', `after the restart: ${problem}`, details);
      return `${originals.length} pod(s) deleted one at a time; every replacement ready, restarts stable for ${Math.round(ctx.observeMs / 1000)}s`;
    } finally {
      window.to ||= Date.now();
      w.stop();
      // Probe lines arrive through the log stream a little late: let the window's last ones in.
      if (traffic.service) await traffic.service.tally.seenAfter(window.to, 3000);
      await traffic.service?.stop().catch(() => undefined);
      await traffic.ingress?.stop();
    }
  });
  const availability = await runCheck('availability', web.name, async (details) => {
    const svc = traffic.service?.tally.window(window.from, window.to);
    const ing = traffic.ingress?.tally.window(window.from, window.to);
    details.service = svc ? { service: web.service, url: traffic.serviceUrl, ...svc } : { error: traffic.serviceError };
    // No window when the restart check stopped before deleting a pod: nothing to chart.
    if (window.from > 0) details.timeline = trafficTimeline(traffic, window, markers);
    details.ingress = !web.host
      ? { skipped: 'WebApp has no Ingress host' }
      : ing
        ? { host: web.host, url: ctx.ingressUrl, ...ing, error: traffic.ingressError }
        : { error: traffic.ingressError };
    const counts = [
      svc ? `Service: ${svc.failed}/${svc.requests} failed` : 'Service: not measured',
      web.host ? (ing ? `Ingress ${web.host}: ${ing.failed}/${ing.requests} failed` : `Ingress ${web.host}: not measured`) : 'no Ingress',
    ].join(', ');
    if (web.replicas < 2) {
      throw new CheckOutcome(
        'fail',
        `not highly available: 1 replica, so a pod restart leaves the Service without a ready endpoint (${counts}); set replicas >= 2`,
        details,
      );
    }
    const setup = [traffic.serviceError, traffic.ingressError].filter(Boolean);
    if (setup.length) throw new CheckOutcome('fail', `traffic could not be measured: ${setup.join('; ')} (${counts})`, details);
    if (!svc) throw new CheckOutcome('fail', 'no traffic was measured (the restart check ended before it started)', details);
    if (svc.failed || ing?.failed)
      throw new CheckOutcome(
        'fail',
        `requests failed during the pod restarts (${counts}); errors: ${[...svc.errors, ...(ing?.errors ?? [])].join('; ')}`,
        details,
      );
    return `${web.replicas} replicas kept answering during the restarts (${counts})`;
  });
  return [restart, availability];
}

/** The chart starts a little before the first disruption, so the baseline shows. */
const TIMELINE_LEAD_MS = 5000;

/** The per-second chart of both traffic sources over the window, with markers timed from its start. */
export function trafficTimeline(traffic: Traffic, window: { from: number; to: number }, markers: TimelineMarker[]): TrafficTimeline {
  // Not before the first request: empty seconds there would read as an outage.
  const first = Math.min(...[traffic.service, traffic.ingress].map((t) => t?.tally.samples[0]?.at ?? Infinity));
  const start = Math.max(window.from - TIMELINE_LEAD_MS, Number.isFinite(first) ? Math.min(first, window.from) : -Infinity);
  const lead = window.from - start;
  return {
    startedAt: new Date(start).toISOString(),
    ...(traffic.service ? { service: traffic.service.tally.perSecond(start, window.to) } : {}),
    ...(traffic.ingress ? { ingress: traffic.ingress.tally.perSecond(start, window.to) } : {}),
    markers: markers.map((m) => ({ ...m, atMs: m.atMs + lead })),
  };
}

/** Last lines of the crashed container's previous run (what a user would look at first). */
async function lastLog(ctx: CheckContext, pod: V1Pod): Promise<string> {
  const c = pod.status?.containerStatuses?.find((x) => (x.restartCount ?? 0) > 0) ?? pod.status?.containerStatuses?.[0];
  if (!c) return '';
  try {
    const text = await ctx.kube.client.logs(pod.metadata!.namespace!, pod.metadata!.name!, c.name, { previous: (c.restartCount ?? 0) > 0, tailLines: 2 });
    return String(text).trim().split('\n').join(' | ').slice(0, 300);
  } catch {
    return '';
  }
}

/**
 * The Service's virtual IP, not its DNS name: the probe's static busybox has
 * no reliable resolver, and what we measure is the Service routing to ready
 * pods (kube-proxy), which the ClusterIP exercises fully.
 */
export async function serviceUrl(ctx: CheckContext, web: WebTarget): Promise<string> {
  const svc = await mustGet<V1Service>(ctx.kube, { apiVersion: 'v1', kind: 'Service', namespace: web.namespace, name: web.service });
  const ip = svc.spec?.clusterIP;
  if (!ip || ip === 'None') throw new Error(`Service ${web.namespace}/${web.service} has no ClusterIP (headless?)`);
  return `http://${ip.includes(':') ? `[${ip}]` : ip}:${web.port}${web.healthPath}`;
}

/** The traffic sources of one disruption check and why one could not start. */
export interface Traffic {
  serviceUrl?: string;
  service?: ServiceProbe;
  ingress?: { tally: Tally; stop: () => Promise<void> };
  serviceError?: string;
  ingressError?: string;
}

/**
 * Start both traffic sources and wait until each answers, so failures later are caused by the disruption.
 * `avoidNode`: the in-cluster probe must not run on the node about to be drained or stopped.
 */
export async function startTraffic(ctx: CheckContext, web: WebTarget, t: Traffic, avoidNode?: string) {
  try {
    t.serviceUrl = await serviceUrl(ctx, web);
    t.service = await ctx.timing.k8s('probe pod start', () =>
      startServiceProbe(ctx.kube, web.namespace, t.serviceUrl!, ctx.probeImage, ctx.timeoutMs, avoidNode),
    );
    await ctx.timing.k8s('traffic baseline', () => waitHealthy(t.service!.tally, 30_000));
  } catch (e) {
    t.serviceError = (e as Error).message;
  }
  if (!web.host) return;
  try {
    t.ingress = startHttpLoop(`Ingress ${web.host} at ${ctx.ingressUrl}`, `${ctx.ingressUrl.replace(/\/$/, '')}${web.healthPath}`, web.host);
    await ctx.timing.k8s('traffic baseline', () => waitHealthy(t.ingress!.tally, 30_000));
  } catch (e) {
    t.ingressError = `${(e as Error).message}; is the Ingress controller reachable from this machine? (set --ingress-url)`;
  }
}
