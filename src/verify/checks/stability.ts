import type { V1Pod } from '@kubernetes/client-node';
import { isReady, restarts } from '../pods';
import type { ResourceWatch } from '../watch';

/**
 * Watch pods for a window and report restart counts that climbed and pods
 * that stopped being ready. Pure bookkeeping over watch events.
 */
export interface StabilityResult {
  climbed: { pod: string; from: number; to: number }[];
  becameUnready: string[];
  restartsAtEnd: Record<string, number>;
}

export class StabilityTracker {
  private readonly start = new Map<string, number>();
  private readonly max = new Map<string, number>();
  private readonly unready = new Set<string>();

  constructor(initial: V1Pod[]) {
    for (const p of initial) {
      const n = p.metadata!.name!;
      this.start.set(n, restarts(p));
      this.max.set(n, restarts(p));
    }
  }

  update(pods: V1Pod[]): void {
    for (const p of pods) {
      const n = p.metadata!.name!;
      if (!this.start.has(n)) this.start.set(n, restarts(p));
      this.max.set(n, Math.max(this.max.get(n) ?? 0, restarts(p)));
      if (!isReady(p) && !p.metadata?.deletionTimestamp) this.unready.add(n);
    }
  }

  result(): StabilityResult {
    const climbed = [...this.max.entries()].filter(([n, m]) => m > (this.start.get(n) ?? 0)).map(([pod, to]) => ({ pod, from: this.start.get(pod) ?? 0, to }));
    return { climbed, becameUnready: [...this.unready].sort(), restartsAtEnd: Object.fromEntries(this.max) };
  }
}

/** Observe `watch` for `ms` and return what changed. */
export async function observeStability(watch: ResourceWatch<V1Pod>, ms: number): Promise<StabilityResult> {
  const t = new StabilityTracker(watch.all);
  await watch.observe(ms, (pods) => t.update(pods));
  return t.result();
}

export function stabilityProblem(r: StabilityResult, ms: number): string | undefined {
  const parts: string[] = [];
  if (r.climbed.length) parts.push(`restart count climbed within ${Math.round(ms / 1000)}s: ${r.climbed.map((c) => `${c.pod} ${c.from}→${c.to}`).join(', ')}`);
  if (r.becameUnready.length) parts.push(`pods not ready during the window: ${r.becameUnready.join(', ')}`);
  return parts.length ? parts.join('; ') : undefined;
}
