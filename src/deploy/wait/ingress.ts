/**
 * Ingresses whose controller publishes no address are probed over HTTP
 * through the controller, once at the start and then once a second while
 * any Ingress is not ready (HTTP has no watch).
 */
import type { IngressContext } from '../../health/readiness';
import { INGRESS } from '../../health/readiness';
import type { KObject } from '../../kube/types';
import type { Routed } from './options';
import type { WaitScope } from './scope';
import type { Tracked, TrackedSet } from './tracked';

const REPROBE_MS = 1000;

export class IngressRoutes {
  private readonly routed = new Map<string, Routed>(); // ingress key -> last probe result

  constructor(
    private readonly probeFn: ((ing: KObject) => Promise<Routed>) | undefined,
    private readonly tracked: TrackedSet,
    private readonly scope: WaitScope,
    private readonly changed: (ing: Tracked) => void,
  ) {}

  context(ing: Tracked): IngressContext {
    return { routed: this.routed.get(ing.key) };
  }

  /** Probe every Ingress that has neither an address nor a route seen yet. */
  async probe(): Promise<void> {
    const probe = this.probeFn;
    if (!probe) return;
    const pending = this.tracked.ofKind(INGRESS).filter((t) => !(t.obj.status?.loadBalancer?.ingress ?? []).length && !this.routed.get(t.key)?.ok);
    await Promise.all(
      pending.map(async (t) => {
        try {
          this.routed.set(t.key, await probe(t.obj));
        } catch (err) {
          this.routed.set(t.key, { ok: false, detail: (err as Error).message });
        }
      }),
    );
  }

  /** Probe again after a second while an Ingress is not ready, and re-judge them. */
  schedule(): void {
    if (!this.probeFn) return;
    if (!this.tracked.ofKind(INGRESS).some((t) => t.health?.state !== 'ready')) return;
    this.scope.after(REPROBE_MS, () => {
      this.probe()
        .then(() => {
          for (const t of this.tracked.ofKind(INGRESS)) this.changed(t);
          this.schedule();
        })
        .catch(this.scope.fail);
    });
  }
}
