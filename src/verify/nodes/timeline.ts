import { perSecond, type Sample } from '../traffic';

/** Availability figures of one traffic source around a disruption (pure; unit-tested). */

export interface Availability {
  requests: number;
  failed: number;
  /** Answered requests in %, 2 decimals; 100 when there were no requests. */
  percent: number;
  /** ms after the disruption of the first and last failed request. */
  firstFailureMs?: number;
  lastFailureMs?: number;
  /**
   * ms after the disruption until traffic recovered: the end of the last failed request, after
   * which every request succeeded. 0 when nothing failed; undefined when it never recovered.
   */
  recoveredAfterMs?: number;
  /** One entry per second since the disruption: [answered, failed]. */
  perSecond: [number, number][];
}

/**
 * Figures for samples in [from, to], with times relative to `t0` (the disruption).
 * A sample's `at` is when its request started; `durationMs` (if known) says when it ended.
 */
export function availability(samples: Sample[], t0: number, from: number, to: number): Availability {
  const s = samples.filter((x) => x.at >= from && x.at <= to);
  const failed = s.filter((x) => !x.ok);
  const last = failed.at(-1);
  const recovered = !last ? 0 : s.some((x) => x.ok && x.at > last.at) ? Math.max(0, last.at + (last.durationMs ?? 0) - t0) : undefined;
  return {
    requests: s.length,
    failed: failed.length,
    percent: s.length ? Math.floor(((s.length - failed.length) / s.length) * 10_000) / 100 : 100,
    ...(failed.length ? { firstFailureMs: failed[0].at - t0, lastFailureMs: last!.at - t0 } : {}),
    recoveredAfterMs: recovered,
    perSecond: perSecond(s, t0, to),
  };
}

/** Compact timeline for a report line: seconds with failures as `from-to s: n failed`. */
export function failureSpans(perSecond: [number, number][]): string {
  const spans: string[] = [];
  let start = -1;
  let n = 0;
  perSecond.forEach(([, f], i) => {
    if (f && start < 0) start = i;
    if (f) n += f;
    if ((!f || i === perSecond.length - 1) && start >= 0) {
      const end = f ? i : i - 1;
      spans.push(`${start}-${end + 1}s: ${n} failed`);
      start = -1;
      n = 0;
    }
  });
  return spans.join(', ') || 'no failures';
}
