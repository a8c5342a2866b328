/**
 * What the cluster holds for an app: kind scopes and the live objects
 * carrying its label, across every kind it may have applied.
 */
import { APP_LABEL } from '../contract';
import { isNotFound, KubeApiError, KubeClient } from '../kube/client';
import type { KObject } from '../kube/types';
import { Inventory, KindRef, readInventory } from './inventory';
import { crdScopes, namespacesOf } from './plan';
import { kindsToList } from './prune';

/**
 * Which kinds are namespaced: discovery, or the CRD shipped in the same app.
 * A kind that is neither served nor defined by the app fails, unless
 * `assumeUnknownNamespaced` (diff reports such objects as to be created).
 */
export async function namespacedLookup(
  client: KubeClient,
  objects: KObject[],
  assumeUnknownNamespaced = false,
): Promise<(apiVersion: string, kind: string) => boolean> {
  const crds = crdScopes(objects);
  const known = new Map<string, boolean>();
  await Promise.all(
    [...new Set(objects.map((o) => `${o.apiVersion}|${o.kind}`))].map(async (id) => {
      const [apiVersion, kind] = id.split('|');
      try {
        known.set(id, await client.isNamespaced(apiVersion, kind));
      } catch (e) {
        if (e instanceof KubeApiError && e.status === 404 && crds.has(id)) known.set(id, crds.get(id)!);
        else if (assumeUnknownNamespaced && e instanceof KubeApiError && e.status === 404) known.set(id, true);
        else throw e;
      }
    }),
  );
  return (apiVersion, kind) => known.get(`${apiVersion}|${kind}`) ?? true;
}

/**
 * Live objects carrying the app label, in the target namespaces, across the
 * kinds berth may have created: the defaults, dist's, and `recorded` (the
 * app's inventory), so a kind gone from dist is still found.
 */
export async function listOwned(client: KubeClient, app: string, namespaces: string[], desired: KObject[] = [], recorded: KindRef[] = []): Promise<KObject[]> {
  const selector = `${APP_LABEL}=${app}`;
  const lists = await Promise.all(
    kindsToList(desired, recorded).map(async ({ apiVersion, kind }) => {
      let namespaced: boolean;
      try {
        namespaced = await client.isNamespaced(apiVersion, kind);
      } catch (e) {
        if (isNotFound(e)) return [] as KObject[]; // kind not served here: nothing of it to own
        throw e;
      }
      const scopes = namespaced ? namespaces : [undefined];
      const per = await Promise.all(scopes.map((ns) => client.list(apiVersion, kind, { namespace: ns, labelSelector: selector })));
      return per.flat();
    }),
  );
  return lists.flat();
}

/**
 * Where an app lives on the cluster: its inventory record and the namespaces to look in (those of
 * dist's objects and those the record names, so objects gone from dist are still found).
 */
export async function appScope(
  client: KubeClient,
  app: string,
  namespace: string,
  desired: KObject[],
): Promise<{ inventory: Inventory; namespaces: string[] }> {
  const inventory = await readInventory(client, app, namespace);
  return { inventory, namespaces: [...new Set([...namespacesOf(desired, namespace), ...inventory.namespaces])].sort() };
}
