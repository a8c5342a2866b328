/** A Service is ready when it has ready endpoints: its EndpointSlices, listed first, then watched. */
import type { KubeClient } from '../../kube/client';
import { keyOf, KObject } from '../../kube/types';
import { SERVICE } from '../../health/readiness';
import type { WaitScope } from './scope';
import { byNamespace, Tracked, TrackedSet } from './tracked';

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export class Endpoints {
  private readonly slices = new Map<string, Map<string, KObject>>(); // service key -> slice name -> slice

  constructor(
    private readonly client: KubeClient,
    private readonly tracked: TrackedSet,
    private readonly scope: WaitScope,
    private readonly changed: (svc: Tracked) => void,
  ) {}

  of(svc: Tracked): KObject[] {
    return [...(this.slices.get(svc.key)?.values() ?? [])];
  }

  /** The current slices of every Service with a selector (one list per namespace). */
  async load(): Promise<void> {
    const groups = byNamespace(this.tracked.ofKind(SERVICE).filter((t) => t.obj.spec?.selector));
    await Promise.all(
      [...groups].map(async ([ns, svcs]) => {
        const items = await this.client.list('discovery.k8s.io/v1', 'EndpointSlice', { namespace: ns, labelSelector: selectorFor(svcs) });
        for (const s of items) this.store(ns, s, false);
      }),
    );
  }

  /** Follow the slices of the Services not ready yet. */
  watch(): void {
    for (const [ns, svcs] of byNamespace(this.tracked.ofKind(SERVICE).filter((t) => t.health?.state !== 'ready'))) {
      this.scope.watchKind(this.client, 'discovery.k8s.io/v1', 'EndpointSlice', ns, { labelSelector: selectorFor(svcs) }, (ev) => {
        const svc = this.store(ns, ev.object, ev.type === 'DELETED');
        if (svc) this.changed(svc);
      });
    }
  }

  private store(ns: string, slice: KObject, deleted: boolean): Tracked | undefined {
    const name = slice.metadata.labels?.[SERVICE_NAME_LABEL];
    if (!name) return undefined;
    const key = keyOf({ apiVersion: 'v1', kind: 'Service', namespace: ns, name });
    const m = this.slices.get(key) ?? new Map<string, KObject>();
    if (deleted) m.delete(slice.metadata.name);
    else m.set(slice.metadata.name, slice);
    this.slices.set(key, m);
    return this.tracked.get(key);
  }
}

function selectorFor(svcs: Tracked[]): string {
  return `${SERVICE_NAME_LABEL} in (${svcs.map((s) => s.obj.metadata.name).join(',')})`;
}
