import { renderTable, reportOk, toJson } from '../../../src/verify/report';
import { Tally } from '../../../src/verify/traffic';
import { Timing } from '../../../src/verify/timing';
import { hostMatchesDb, parseMongoUrl, redactUrl } from '../../../src/verify/mongourl';
import { probePod, probeScript } from '../../../src/verify/probe-pod';
import type { CheckResult, VerifyReport } from '../../../src/verify/types';

const check = (status: CheckResult['status'], id = 'ready/web'): CheckResult => ({
  id,
  check: id.split('/')[0],
  target: id.split('/')[1],
  status,
  reason: `${status} reason`,
  durationMs: 1500,
  details: {},
});

test('ok only when no check failed (skips allowed) and at least one ran', () => {
  expect(reportOk([check('pass'), check('skip')])).toBe(true);
  expect(reportOk([check('pass'), check('fail')])).toBe(false);
  expect(reportOk([])).toBe(false);
});

test('table lists every check with its reason and the time split', () => {
  const r: VerifyReport = {
    schemaVersion: 1,
    app: 'demo',
    namespace: 'default',
    context: 'berth-local',
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 10_000,
    ok: false,
    checks: [check('pass'), check('fail', 'availability/web')],
    timings: { totalMs: 10_000, waitingOnKubernetesMs: 6_000, observingMs: 1_500, berthMs: 2_500, phases: [] },
  };
  const t = renderTable(r);
  expect(t).toContain('RESULT  CHECK         TARGET  TIME  REASON');
  expect(t).toContain('FAIL    availability  web     1.5s  fail reason');
  expect(t).toContain('FAILED: 1 passed, 1 failed, 0 skipped in 10.0s (waiting on Kubernetes 6.0s, observing 1.5s, berth 2.5s)');
  expect(JSON.parse(toJson(r)).checks).toHaveLength(2);
});

test('tally counts failures inside a window only', () => {
  const t = new Tally('svc');
  t.record(true, undefined, 100);
  t.record(false, 'ECONNREFUSED', 200);
  t.record(false, 'ECONNREFUSED', 300);
  t.record(true, undefined, 400);
  expect(t.window(150, 400)).toEqual({ requests: 3, failed: 2, errors: ['ECONNREFUSED'], failedAtMs: [50, 150] });
  expect(t.healthy(1)).toBe(true);
  expect(t.healthy(2)).toBe(false);
});

test('timing counts nested waits once', async () => {
  const tm = new Timing();
  await tm.k8s('outer', () => tm.k8s('inner', () => new Promise((r) => setTimeout(r, 30))));
  const s = tm.summary();
  expect(s.phases.map((p) => p.label)).toEqual(['outer']);
  expect(s.waitingOnKubernetesMs).toBeGreaterThanOrEqual(25);
  await tm.observe('window', () => new Promise((r) => setTimeout(r, 20)));
  const s2 = tm.summary();
  expect(s2.observingMs).toBeGreaterThanOrEqual(15);
  expect(s2.berthMs + s2.waitingOnKubernetesMs + s2.observingMs).toBe(s2.totalMs);
});

test('mongo URLs: hosts parsed, credentials redacted, service matched', () => {
  expect(parseMongoUrl('mongodb://u:p@demo-db:27017/app?authSource=admin')).toEqual({ hosts: ['demo-db'], database: 'app' });
  expect(parseMongoUrl('http://x')).toBeUndefined();
  expect(redactUrl('mongodb://root:s3cret@demo-db:27017/app')).toBe('mongodb://***@demo-db:27017/app');
  const db = { service: 'demo-db', namespace: 'shop' } as never;
  expect(hostMatchesDb('demo-db', db)).toBe(true);
  expect(hostMatchesDb('demo-db.shop.svc.cluster.local', db)).toBe(true);
  expect(hostMatchesDb('demo-db.other', db)).toBe(false);
});

test('probe pod: non-root busybox looping over the Service URL', () => {
  const p = probePod('probe-1', 'shop', 'berth.local/busybox:1.35', 'http://web.shop.svc:80/readyz');
  expect(p.spec!.securityContext!.runAsNonRoot).toBe(true);
  expect(p.spec!.containers[0].command!.join(' ')).toContain("busybox timeout 2 busybox wget -q -O /dev/null 'http://web.shop.svc:80/readyz'");
  expect(probeScript('u')).toMatch(/echo "ok \$i"/);
});

test('the probe pod can be kept off the node a check drains or stops', () => {
  expect(probePod('probe-1', 'shop', 'busybox', 'http://x').spec!.affinity).toBeUndefined();
  const p = probePod('probe-1', 'shop', 'busybox', 'http://x', 'berth-local-2');
  expect(p.spec!.affinity!.nodeAffinity!.requiredDuringSchedulingIgnoredDuringExecution!.nodeSelectorTerms).toEqual([
    { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'NotIn', values: ['berth-local-2'] }] },
  ]);
});
