import { availability, failureSpans } from '../../../../src/verify/nodes/timeline';
import type { Sample } from '../../../../src/verify/traffic';

const t0 = 1_000_000;
const s = (ms: number, ok: boolean, durationMs?: number): Sample => ({ at: t0 + ms, ok, ...(durationMs ? { durationMs } : {}) });

test('percent, per-second buckets and recovery after the last failure', () => {
  const samples = [s(-500, true), s(100, true), s(1200, false, 2000), s(1500, false, 2000), s(3700, true), s(4100, true)];
  const a = availability(samples, t0, t0 - 1000, t0 + 5000);
  expect(a.requests).toBe(6);
  expect(a.failed).toBe(2);
  expect(a.percent).toBe(66.66);
  expect(a.firstFailureMs).toBe(1200);
  expect(a.lastFailureMs).toBe(1500);
  // the last failed request started at 1.5 s and took 2 s
  expect(a.recoveredAfterMs).toBe(3500);
  expect(a.perSecond).toEqual([
    [1, 0],
    [0, 2],
    [0, 0],
    [1, 0],
    [1, 0],
  ]);
  expect(failureSpans(a.perSecond)).toBe('1-2s: 2 failed');
});

test('no failures: recovered at once, 100 %; failures until the end: never recovered', () => {
  expect(availability([s(10, true)], t0, t0, t0 + 1000)).toMatchObject({ percent: 100, recoveredAfterMs: 0, failed: 0 });
  expect(availability([], t0, t0, t0 + 1000)).toMatchObject({ percent: 100, requests: 0 });
  expect(availability([s(10, true), s(500, false)], t0, t0, t0 + 1000).recoveredAfterMs).toBeUndefined();
});

test('failure spans join consecutive seconds and count their failures', () => {
  expect(
    failureSpans([
      [1, 0],
      [0, 2],
      [0, 1],
      [3, 0],
      [0, 1],
    ]),
  ).toBe('1-3s: 3 failed, 4-5s: 1 failed');
  expect(failureSpans([[5, 0]])).toBe('no failures');
});

test('every counted request is in the chart: one at the window end lands in the last second, as in the restart chart', () => {
  const a = availability([s(100, true), s(2000, false)], t0, t0, t0 + 2000);
  expect(a.requests).toBe(2);
  expect(a.perSecond).toEqual([
    [1, 0],
    [0, 1],
  ]);
  expect(a.perSecond.flat().reduce((x, y) => x + y, 0)).toBe(a.requests);
});
