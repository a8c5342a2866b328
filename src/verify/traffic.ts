import * as http from 'node:http';

/**
 * Request tallies during a disruption. Each source records one sample per
 * request (time, ok, error); `window` counts the samples between two marks.
 */
export interface Sample {
  /** When the request started (or, for the in-cluster probe, when its result line arrived). */
  at: number;
  ok: boolean;
  error?: string;
  /** How long the request took, when known. */
  durationMs?: number;
}

export class Tally {
  readonly samples: Sample[] = [];
  constructor(readonly name: string) {}

  record(ok: boolean, error?: string, at = Date.now(), durationMs?: number): void {
    this.samples.push({ at, ok, error, ...(durationMs !== undefined ? { durationMs } : {}) });
  }

  /** Requests and failures between two times; `failedAtMs` = when failures happened, ms after `from` (first 20). */
  window(from: number, to: number): { requests: number; failed: number; errors: string[]; failedAtMs: number[] } {
    const s = this.samples.filter((x) => x.at >= from && x.at <= to);
    const failed = s.filter((x) => !x.ok);
    return {
      requests: s.length,
      failed: failed.length,
      errors: [...new Set(failed.map((f) => f.error ?? 'failed'))].slice(0, 5),
      failedAtMs: failed.slice(0, 20).map((f) => f.at - from),
    };
  }

  /** Answered and failed requests per second from `from` to `to` (see `perSecond`), as two series. */
  perSecond(from: number, to: number): { ok: number[]; failed: number[] } {
    const buckets = perSecond(this.samples, from, to);
    return { ok: buckets.map(([ok]) => ok), failed: buckets.map(([, failed]) => failed) };
  }

  /** Resolve once a sample recorded at or after `t` exists, or after `timeoutMs`. */
  async seenAfter(t: number, timeoutMs: number): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!this.samples.some((x) => x.at >= t) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  }

  /** True once the last `n` samples all succeeded (baseline before disrupting). */
  healthy(n = 3): boolean {
    const last = this.samples.slice(-n);
    return last.length === n && last.every((s) => s.ok);
  }
}

/**
 * [answered, failed] per second from `t0` to `to`: bucket i holds the samples in [t0 + i s, t0 + (i+1) s),
 * and a sample at `to` itself counts in the last one. Seconds without requests are [0, 0]; samples
 * before `t0` are left out. One bucketing for every chart and figure of the report.
 */
export function perSecond(samples: Sample[], t0: number, to: number): [number, number][] {
  const n = Math.max(1, Math.ceil((to - t0) / 1000));
  const buckets: [number, number][] = Array.from({ length: n }, () => [0, 0]);
  for (const x of samples) {
    if (x.at < t0 || x.at > to) continue;
    buckets[Math.min(n - 1, Math.floor((x.at - t0) / 1000))][x.ok ? 0 : 1]++;
  }
  return buckets;
}

/** Resolve once `tally.healthy()` or reject after `timeoutMs` with the last error. */
export async function waitHealthy(tally: Tally, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!tally.healthy()) {
    if (Date.now() > end) {
      const last = tally.samples.at(-1);
      throw new Error(
        `${tally.name} not answering before the disruption (${tally.samples.length} requests, last: ${last ? (last.ok ? 'ok' : last.error) : 'none'})`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** One GET with a Host header; ok = 2xx/3xx within `timeoutMs`. */
function getOnce(url: string, host: string | undefined, timeoutMs: number): Promise<{ ok: boolean; error?: string }> {
  return new Promise((resolve) => {
    const req = http.get(url, { headers: host ? { Host: host } : {}, timeout: timeoutMs, agent: false }, (res) => {
      res.resume();
      res.on('end', () => {
        const code = res.statusCode ?? 0;
        resolve(code >= 200 && code < 400 ? { ok: true } : { ok: false, error: `HTTP ${code}` });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs}ms`)));
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ ok: false, error: e.code ?? e.message }));
  });
}

/**
 * Send requests from this machine every `intervalMs` until stopped, e.g. to
 * the Ingress controller with the app's Host header.
 */
export function startHttpLoop(name: string, url: string, host: string | undefined, intervalMs = 100): { tally: Tally; stop: () => Promise<void> } {
  const tally = new Tally(name);
  let running = true;
  const loop = (async () => {
    while (running) {
      const t0 = Date.now();
      const r = await getOnce(url, host, 2000);
      tally.record(r.ok, r.error, t0, Date.now() - t0);
      await new Promise((res) => setTimeout(res, Math.max(0, intervalMs - (Date.now() - t0))));
    }
  })();
  return {
    tally,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}
