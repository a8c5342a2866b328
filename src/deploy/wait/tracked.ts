/** The objects being waited for, each with the latest state seen and its verdict. */
import { groupKindOf, Health } from '../../health/readiness';
import { displayName, KObject, keyOf, refOf } from '../../kube/types';

export interface Tracked {
  readonly key: string;
  /** "Kind namespace/name", as progress and errors print it. */
  readonly name: string;
  /** "group/Kind" ("Kind" for the core group): rules key on it, since a kind name alone is ambiguous. */
  readonly groupKind: string;
  /** The applied generation: older states from watch caches are not judged as current. */
  readonly minGeneration: number;
  obj: KObject;
  health?: Health;
}

export class TrackedSet {
  private readonly byKey = new Map<string, Tracked>();

  constructor(objects: KObject[]) {
    for (const obj of objects) {
      const key = keyOf(refOf(obj));
      this.byKey.set(key, { key, name: displayName(refOf(obj)), groupKind: groupKindOf(obj), obj, minGeneration: obj.metadata.generation ?? 0 });
    }
  }

  get size(): number {
    return this.byKey.size;
  }

  get(key: string): Tracked | undefined {
    return this.byKey.get(key);
  }

  all(): Tracked[] {
    return [...this.byKey.values()];
  }

  ofKind(groupKind: string): Tracked[] {
    return this.all().filter((t) => t.groupKind === groupKind);
  }

  unready(): Tracked[] {
    return this.all().filter((t) => t.health?.state !== 'ready');
  }

  allReady(): boolean {
    for (const t of this.byKey.values()) if (t.health?.state !== 'ready') return false;
    return true;
  }
}

export function byNamespace(list: Tracked[]): Map<string, Tracked[]> {
  const m = new Map<string, Tracked[]>();
  for (const t of list) {
    const ns = t.obj.metadata.namespace ?? '';
    m.set(ns, [...(m.get(ns) ?? []), t]);
  }
  return m;
}
