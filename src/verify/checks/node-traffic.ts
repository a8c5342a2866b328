import type { WebTarget } from '../target';
import { availability, Availability } from '../nodes/timeline';
import type { CheckContext } from './context';
import type { Traffic } from './restart';

/** Traffic bookkeeping shared by the node checks (the sources themselves are restart.ts's). */

/** Stop both sources; the probe's log lines arrive a little late, so wait for the window's last ones. */
export async function stopTraffic(t: Traffic, to: number): Promise<void> {
  if (t.service) await t.service.tally.seenAfter(to, 3000);
  await t.service?.stop().catch(() => undefined);
  await t.ingress?.stop();
}

/** `Service: 0/312 failed, Ingress my-app.com: 0/640 failed` for a report line. */
export function trafficCounts(web: WebTarget, t: Traffic, from: number, to: number): string {
  const svc = t.service?.tally.window(from, to);
  const ing = t.ingress?.tally.window(from, to);
  return [
    svc ? `Service: ${svc.failed}/${svc.requests} failed` : 'Service: not measured',
    web.host ? (ing ? `Ingress ${web.host}: ${ing.failed}/${ing.requests} failed` : `Ingress ${web.host}: not measured`) : 'no Ingress',
  ].join(', ');
}

export interface TrafficFigures {
  service?: Availability & { url?: string; errors: string[] };
  ingress?: Availability & { host: string; url: string; errors: string[] };
  serviceError?: string;
  ingressError?: string;
}

/** Availability of both sources over [from, to], times relative to `t0` (the disruption). */
export function trafficFigures(web: WebTarget, ctx: CheckContext, t: Traffic, t0: number, from: number, to: number): TrafficFigures {
  const out: TrafficFigures = {};
  if (t.service) out.service = { url: t.serviceUrl, ...availability(t.service.tally.samples, t0, from, to), errors: t.service.tally.window(from, to).errors };
  if (t.ingress && web.host)
    out.ingress = {
      host: web.host,
      url: ctx.ingressUrl,
      ...availability(t.ingress.tally.samples, t0, from, to),
      errors: t.ingress.tally.window(from, to).errors,
    };
  if (t.serviceError) out.serviceError = t.serviceError;
  if (t.ingressError) out.ingressError = t.ingressError;
  return out;
}
