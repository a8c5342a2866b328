import { judge, NODE_FAILURE_THRESHOLDS } from '../../../../src/verify/nodes/judge';
import type { Availability } from '../../../../src/verify/nodes/timeline';

const fig = (percent: number, recoveredAfterMs: number | undefined, failed = 1): Availability & { errors: string[] } => ({
  requests: 100,
  failed,
  percent,
  recoveredAfterMs,
  perSecond: [[9, 1]],
  errors: [],
});
const ok = { replacedAfterMs: 75_000, notReadyAfterMs: 48_000, backAfterMs: 3000 };

test('passes with the Ingress at >= 99 % and the Service recovered in time, and reports the figures', () => {
  const r = judge(2, 'berth-local-2', { ingress: { ...fig(99.5, 1100), host: 'my-app.com', url: 'u' }, service: fig(80, 52_000, 20) }, ok, '');
  expect(r.ok).toBe(true);
  expect(r.reason).toBe(
    'node berth-local-2 stopped: Ingress 99.5% answered (1/100 failed, recovered after 1.1 s; 0-1s: 1 failed); Service 80% (20/100 failed, recovered after 52.0 s; 0-1s: 1 failed); node NotReady after 48.0 s; replacements ready after 75.0 s; node back after 3.0 s',
  );
});

function bad(r: { ok: boolean; reason: string }): string {
  expect(r.ok).toBe(false);
  return r.reason;
}

test('fails below the thresholds, without a replacement, with one replica, or when the node did not come back', () => {
  const ingress = { ...fig(98.9, 1100), host: 'my-app.com', url: 'u' };
  expect(bad(judge(2, 'n2', { ingress, service: fig(90, 1000) }, ok, ''))).toContain(
    `only 98.9% of requests through the Ingress were answered (threshold ${NODE_FAILURE_THRESHOLDS.ingressPercent}%)`,
  );
  const good = { ingress: { ...fig(100, 0, 0), host: 'my-app.com', url: 'u' } };
  expect(bad(judge(2, 'n2', { ...good, service: fig(50, 95_000) }, ok, ''))).toContain('traffic through the Service did not recover within 90 s');
  expect(bad(judge(2, 'n2', { ...good, service: fig(50, undefined) }, ok, ''))).toContain('did not recover');
  expect(bad(judge(2, 'n2', { ...good, service: fig(90, 1000) }, { ...ok, replacedAfterMs: undefined, waitError: 'timed out' }, ''))).toContain(
    'no replacement became ready elsewhere: timed out',
  );
  expect(bad(judge(1, 'n2', { ...good, service: fig(90, 1000) }, ok, 'Service: 9/100 failed'))).toContain(
    'not highly available: 1 replica, so its node failing leaves the Service without a ready endpoint (Service: 9/100 failed); set replicas >= 2',
  );
  expect(bad(judge(2, 'n2', { ...good, service: fig(90, 1000) }, { ...ok, backAfterMs: undefined, restoreError: 'boom' }, ''))).toContain(
    'node n2 did not come back',
  );
});
