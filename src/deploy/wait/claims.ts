/**
 * PersistentVolumeClaims: the StorageClass each pending claim binds through
 * (which decides whether Pending is fine), and a deadline for claims with
 * immediate binding that stay Pending.
 */
import { storageClassFor } from '../../contract';
import type { PvcContext } from '../../health/readiness';
import { PVC } from '../../health/readiness';
import type { KubeClient } from '../../kube/client';
import type { KObject } from '../../kube/types';
import type { Explainer } from './explain';
import type { WaitScope } from './scope';
import type { Tracked, TrackedSet } from './tracked';

/** The StorageClass a claim names; unset (the cluster's default) gets a key no class name can have. */
const DEFAULT_CLASS = '(default)';
const classKeyOf = (pvc: KObject): string => pvc.spec?.storageClassName ?? DEFAULT_CLASS;

export class Claims {
  private readonly classes = new Map<string, KObject | null>(); // class key -> class, null when missing or "" (no class)
  private readonly deadlines = new Set<string>();

  constructor(
    private readonly client: KubeClient,
    private readonly scope: WaitScope,
    private readonly explain: Explainer,
    private readonly volumeMs: number,
  ) {}

  /** Look up the StorageClasses of the claims not bound yet (one list, none when all are bound). */
  async load(tracked: TrackedSet): Promise<void> {
    const pending = tracked.ofKind(PVC).filter((t) => t.obj.status?.phase !== 'Bound');
    const keys = new Set(pending.map((t) => classKeyOf(t.obj)));
    if (keys.size === 0) return;
    const all = await this.client.list('storage.k8s.io/v1', 'StorageClass');
    for (const k of keys) {
      const found = storageClassFor(all, k === DEFAULT_CLASS ? undefined : k);
      this.classes.set(k, found ?? null);
    }
  }

  /** What the PVC rule needs to know; undefined when the class was not looked up. */
  context(pvc: KObject): PvcContext | undefined {
    const k = classKeyOf(pvc);
    return this.classes.has(k) ? { storageClass: this.classes.get(k) } : undefined;
  }

  /** A claim with immediate binding that stays Pending: report its events instead of waiting for the timeout. */
  expectBinding(t: Tracked): void {
    if (this.deadlines.has(t.key)) return;
    this.deadlines.add(t.key);
    this.scope.after(this.volumeMs, () => {
      if (t.health?.state === 'ready') return;
      this.explain
        .unboundClaim(t.name, t.obj, this.volumeMs)
        .then((err) => this.scope.finish(err))
        .catch(this.scope.fail);
    });
  }
}
