/**
 * The app's inventory in the cluster: which apiVersion/kinds and namespaces
 * it ever applied (like cli-utils' inventory object or kapp's app record,
 * but only kinds, not every object: the app label finds the objects). Prune
 * and destroy list these kinds, so an object whose kind left dist/ (a custom
 * resource, a kind no longer in berth's defaults) is still found.
 *
 * Written before apply as the union of the old record and dist (an
 * interrupted deploy leaves a record that covers whatever it applied), and
 * rewritten to exactly what remains after a successful prune.
 */
import { INVENTORY_LABEL, INVENTORY_NAME_PREFIX, MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../contract';
import { applyObjects } from './apply';
import { isNotFound, KubeClient } from '../kube/client';
import { groupOf, KObject, keyOf, refOf } from '../kube/types';

export interface KindRef {
  apiVersion: string;
  kind: string;
}

export interface Inventory {
  kinds: KindRef[];
  namespaces: string[];
}

export const EMPTY_INVENTORY: Inventory = { kinds: [], namespaces: [] };

export function inventoryName(app: string): string {
  return `${INVENTORY_NAME_PREFIX}${app}`;
}

/** One entry per group+kind (the version of the newest record wins), sorted: equal inventories serialize equally. */
function normalize(inv: Inventory): Inventory {
  const kinds = new Map<string, KindRef>();
  for (const k of inv.kinds) kinds.set(`${groupOf(k.apiVersion)}/${k.kind}`, { apiVersion: k.apiVersion, kind: k.kind });
  return {
    kinds: [...kinds.values()].sort((a, b) => `${a.apiVersion}/${a.kind}`.localeCompare(`${b.apiVersion}/${b.kind}`)),
    namespaces: [...new Set(inv.namespaces)].sort(),
  };
}

/** What a set of objects needs recorded (pure). */
export function inventoryOf(objects: KObject[], namespaces: string[]): Inventory {
  return normalize({ kinds: objects.map((o) => ({ apiVersion: o.apiVersion, kind: o.kind })), namespaces });
}

/** Union of two inventories; `b`'s apiVersion wins for a group+kind in both (pure). */
export function unionInventory(a: Inventory, b: Inventory): Inventory {
  return normalize({ kinds: [...a.kinds, ...b.kinds], namespaces: [...a.namespaces, ...b.namespaces] });
}

export function sameInventory(a: Inventory, b: Inventory): boolean {
  return JSON.stringify(normalize(a)) === JSON.stringify(normalize(b));
}

/** ConfigMap body of an inventory (pure). */
export function inventoryObject(app: string, namespace: string, inv: Inventory): KObject {
  const n = normalize(inv);
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: inventoryName(app),
      namespace,
      labels: { [INVENTORY_LABEL]: app, [MANAGED_BY_LABEL]: MANAGED_BY_VALUE },
      annotations: { 'berth.dev/about': `what berth deploy applied for app ${app}; berth prune and destroy read it. Delete it only with the app.` },
    },
    data: {
      kinds: n.kinds.map((k) => `${k.apiVersion}/${k.kind}`).join('\n'),
      namespaces: n.namespaces.join('\n'),
    },
  };
}

/** Parse the ConfigMap back (pure); unreadable lines are skipped, never fatal. */
export function parseInventory(cm: KObject | undefined): Inventory {
  if (!cm) return EMPTY_INVENTORY;
  const lines = (s: string | undefined): string[] =>
    (s ?? '')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
  const kinds: KindRef[] = [];
  for (const line of lines(cm.data?.kinds)) {
    const i = line.lastIndexOf('/');
    if (i <= 0 || i === line.length - 1) continue;
    kinds.push({ apiVersion: line.slice(0, i), kind: line.slice(i + 1) });
  }
  return normalize({ kinds, namespaces: lines(cm.data?.namespaces) });
}

const ref = (app: string, namespace: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', name: inventoryName(app), namespace });

export async function readInventory(client: KubeClient, app: string, namespace: string): Promise<Inventory> {
  const cm = await client.get(ref(app, namespace));
  // A ConfigMap of that name that berth did not write is not a record of anything.
  if (cm && cm.metadata.labels?.[INVENTORY_LABEL] !== app) return EMPTY_INVENTORY;
  return parseInventory(cm);
}

/** Server-side apply of the record (through applyObjects: same errors, e.g. a missing namespace, as the app's objects). */
export async function writeInventory(client: KubeClient, app: string, namespace: string, inv: Inventory): Promise<void> {
  const obj = inventoryObject(app, namespace, inv);
  await applyObjects(client, [obj], { live: new Map([[keyOf(refOf(obj)), undefined]]) });
}

export async function deleteInventory(client: KubeClient, app: string, namespace: string): Promise<void> {
  try {
    await client.delete(ref(app, namespace));
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
}
