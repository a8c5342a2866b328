import type { PhaseTiming } from './types';

/**
 * Splits a verify run into time spent waiting on Kubernetes (pods terminating
 * and starting, PVCs, readiness, deploy/destroy), deliberate observation
 * windows, and berth's own work. Checks run one after another, so
 * berth time = total - waiting - observing. Nested waits
 * count once (only the outermost wait is timed).
 */
export class Timing {
  private readonly started = Date.now();
  private readonly sums = new Map<string, PhaseTiming>();
  private depth = 0;

  /** Time `work` as waiting on Kubernetes under `label`. */
  k8s<T>(label: string, work: () => Promise<T>): Promise<T> {
    return this.timed('k8s', label, work);
  }

  /** Time a deliberate observation window (not Kubernetes being slow, not berth working). */
  observe<T>(label: string, work: () => Promise<T>): Promise<T> {
    return this.timed('observe', label, work);
  }

  private async timed<T>(kind: PhaseTiming['kind'], label: string, work: () => Promise<T>): Promise<T> {
    if (this.depth > 0) return work();
    this.depth++;
    const t0 = Date.now();
    try {
      return await work();
    } finally {
      this.depth--;
      this.add(kind, label, Date.now() - t0);
    }
  }

  add(kind: PhaseTiming['kind'], label: string, ms: number): void {
    const key = `${kind}:${label}`;
    const cur = this.sums.get(key) ?? { kind, label, ms: 0 };
    cur.ms += ms;
    this.sums.set(key, cur);
  }

  summary(now = Date.now()) {
    const totalMs = now - this.started;
    const phases = [...this.sums.values()].sort((a, b) => b.ms - a.ms);
    const sum = (k: PhaseTiming['kind']) => phases.filter((p) => p.kind === k).reduce((s, p) => s + p.ms, 0);
    const waitingOnKubernetesMs = sum('k8s');
    const observingMs = sum('observe');
    return { totalMs, waitingOnKubernetesMs, observingMs, berthMs: Math.max(0, totalMs - waitingOnKubernetesMs - observingMs), phases };
  }
}
