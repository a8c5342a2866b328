import { needsSettle, probelessContainers, SettleTracker } from '../../../src/health/settle';
import { obj } from '../deploy/fixtures';

const workload = (containers: any[], extra: any = {}) => obj('Deployment', 'web', { spec: { replicas: 1, ...extra, template: { spec: { containers } } } });
const pod = (uid: string, state: any, restartCount = 0, extra: any = {}) =>
  obj('Pod', `web-${uid}`, { metadata: { name: `web-${uid}`, uid, ...extra }, status: { containerStatuses: [{ name: 'app', state, restartCount }] } });
const running = { running: { startedAt: '2026-01-01T00:00:00Z' } };

describe('which workloads need to settle', () => {
  it('lists containers without a readiness probe', () => {
    const w = workload([{ name: 'app' }, { name: 'sidecar', readinessProbe: { tcpSocket: { port: 1 } } }]);
    expect(probelessContainers(w)).toEqual(['app']);
    expect(needsSettle(w, 3000)).toBe(true);
  });
  it('skips workloads whose containers all have readiness probes', () => {
    expect(needsSettle(workload([{ name: 'app', readinessProbe: { httpGet: { path: '/', port: 80 } } }]), 3000)).toBe(false);
  });
  it('skips when minReadySeconds already covers the settle time, or settling is off', () => {
    expect(needsSettle(workload([{ name: 'app' }], { minReadySeconds: 5 }), 3000)).toBe(false);
    expect(needsSettle(workload([{ name: 'app' }], { minReadySeconds: 1 }), 3000)).toBe(true);
    expect(needsSettle(workload([{ name: 'app' }]), 0)).toBe(false);
  });
});

describe('SettleTracker', () => {
  const w = workload([{ name: 'app' }]);

  it('is settled only after the container was seen running for the settle time', () => {
    const t = new SettleTracker(3000);
    const p = pod('a', running);
    t.observe(p, 1000);
    const early = t.verdict(w, [p], 2500);
    expect(early.settled).toBe(false);
    expect(early.recheckInMs).toBe(1500);
    expect(t.verdict(w, [p], 4000).settled).toBe(true);
  });

  it('restarts the clock when the container restarted', () => {
    const t = new SettleTracker(3000);
    t.observe(pod('a', running, 0), 0);
    const restarted = pod('a', running, 1);
    t.observe(restarted, 5000);
    expect(t.verdict(w, [restarted], 6000).settled).toBe(false);
    expect(t.verdict(w, [restarted], 8000).settled).toBe(true);
  });

  it('is not settled while a container is not running (e.g. it exited)', () => {
    const t = new SettleTracker(3000);
    const crashed = pod('a', { terminated: { exitCode: 3, reason: 'Error' } });
    t.observe(crashed, 0);
    const v = t.verdict(w, [crashed], 10_000);
    expect(v).toEqual({ settled: false, message: 'pod web-a container app is not running' });
  });

  it('waits until it has seen as many live pods as replicas, ignoring terminating ones', () => {
    const t = new SettleTracker(3000);
    const w2 = workload([{ name: 'app' }], { replicas: 2 });
    const a = pod('a', running);
    const old = pod('b', running, 0, { deletionTimestamp: '2026-01-01T00:00:00Z' });
    t.observe(a, 0);
    t.observe(old, 0);
    expect(t.verdict(w2, [a, old], 10_000).message).toMatch(/waiting to see 2 pod\(s\)/);
    const b = pod('c', running);
    t.observe(b, 1000);
    expect(t.verdict(w2, [a, old, b], 4000).settled).toBe(true);
  });
});
