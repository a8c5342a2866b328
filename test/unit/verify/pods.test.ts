import type { V1Pod } from '@kubernetes/client-node';
import { describePods, hopelessReason, isReady, readyPods, restarts } from '../../../src/verify/pods';
import { StabilityTracker, stabilityProblem } from '../../../src/verify/checks/stability';

function pod(name: string, o: { ready?: boolean; restarts?: number; waiting?: string; message?: string; deleting?: boolean; lastExit?: number } = {}): V1Pod {
  return {
    metadata: { name, ...(o.deleting ? { deletionTimestamp: new Date() } : {}) },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: o.ready ? 'True' : 'False' }],
      containerStatuses: [
        {
          name: 'web',
          image: 'x',
          imageID: '',
          ready: !!o.ready,
          restartCount: o.restarts ?? 0,
          state: o.waiting ? { waiting: { reason: o.waiting, message: o.message } } : { running: {} },
          ...(o.lastExit !== undefined ? { lastState: { terminated: { exitCode: o.lastExit } } } : {}),
        },
      ],
    },
  } as V1Pod;
}

test('readiness ignores terminating pods', () => {
  expect(isReady(pod('a', { ready: true }))).toBe(true);
  expect(isReady(pod('a', { ready: true, deleting: true }))).toBe(false);
  expect(readyPods([pod('a', { ready: true }), pod('b'), pod('c', { ready: true })], new Set(['c'])).map((p) => p.metadata!.name)).toEqual(['a']);
  expect(restarts(pod('a', { restarts: 3 }))).toBe(3);
});

test('CrashLoopBackOff and repeated restarts are hopeless, with the exit code', () => {
  expect(hopelessReason(pod('web-1', { waiting: 'CrashLoopBackOff', restarts: 1, lastExit: 3 }))).toMatch(
    /^pod web-1: CrashLoopBackOff: container web keeps crashing, 1 restart\(s\) \(last exit: .*code 3\)$/,
  );
  expect(hopelessReason(pod('web-1', { restarts: 2 }))).toMatch(/restarted 2 times and is not ready \(crash loop\)/);
  expect(hopelessReason(pod('web-1', { restarts: 1 }))).toBeUndefined();
  expect(hopelessReason(pod('web-1', { waiting: 'ContainerCreating' }))).toBeUndefined();
  expect(hopelessReason(pod('web-1', { waiting: 'ErrImagePull', message: 'registry.invalid/web:1: not found' }))).toMatch(/ErrImagePull/);
  expect(hopelessReason(pod('web-1', { waiting: 'ImagePullBackOff' }))).toMatch(/ImagePullBackOff/);
  expect(hopelessReason(pod('db-0', { waiting: 'CreateContainerConfigError', message: 'secret "db" not found' }))).toMatch(/secret "db" not found/);
});

test('troubles the kubelet retries by itself are waited for, not hopeless', () => {
  // Seen in CI: a re-created database pod on a busy node, before its Secret cache synced; it started moments later.
  const cache = 'failed to sync secret cache: timed out waiting for the condition';
  expect(hopelessReason(pod('db-0', { waiting: 'CreateContainerConfigError', message: cache }))).toBeUndefined();
  expect(hopelessReason(pod('web-1', { waiting: 'ErrImagePull', message: 'dial tcp 10.0.0.1:443: i/o timeout' }))).toBeUndefined();
});

test('describePods summarises state for error messages', () => {
  expect(describePods([pod('a', { ready: true }), pod('b', { waiting: 'CrashLoopBackOff', restarts: 4 })])).toBe(
    'a: Running ready restarts=0; b: Running not-ready (CrashLoopBackOff) restarts=4',
  );
  expect(describePods([])).toBe('no pods');
});

test('stability tracker reports climbing restart counts and unready pods', () => {
  const t = new StabilityTracker([pod('a', { ready: true }), pod('b', { ready: true, restarts: 1 })]);
  t.update([pod('a', { ready: true }), pod('b', { ready: true, restarts: 1 })]);
  expect(stabilityProblem(t.result(), 5000)).toBeUndefined();
  t.update([pod('a', { ready: true }), pod('b', { restarts: 2 })]);
  expect(t.result().climbed).toEqual([{ pod: 'b', from: 1, to: 2 }]);
  expect(stabilityProblem(t.result(), 5000)).toBe('restart count climbed within 5s: b 1→2; pods not ready during the window: b');
});
