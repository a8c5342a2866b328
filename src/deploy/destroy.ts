/**
 * berth destroy: delete everything this app owns. With --keep-data, PVCs and
 * Secrets (and the app's Namespaces, whose deletion would take them along)
 * stay, so a later deploy finds the same data and credentials.
 */
import { APP_LABEL } from '../contract';
import { ContextOptions, describeContext } from '../cluster/context';
import { targetNamespace, withClient } from './connect';
import { listOwned } from './deploy';
import { timeoutMs } from './deploy';
import { DeployTimeout } from './errors';
import { KubeClient } from './kube';
import { appNames, distObjectsIfAny } from './manifest';
import { namespacesOf, sortForDelete } from './plan';
import { displayName, KObject, keyOf, ObjectRef, refOf } from './types';
import { watchUntil } from './watch-until';

export interface DestroyOptions extends ContextOptions {
  dist?: string;
  app?: string;
  namespace?: string;
  keepData?: boolean;
  /** Wait until deleted objects are gone (default true). */
  wait?: boolean;
  timeout?: string | number;
  client?: KubeClient;
  log?: (line: string) => void;
}

export interface DestroyResult {
  app: string;
  deleted: string[];
  kept: string[];
}

const DATA_KINDS = new Set(['PersistentVolumeClaim', 'Secret']);

/** PVCs a StatefulSet's volumeClaimTemplates created: <template>-<statefulset>-<ordinal>. */
export function statefulSetClaimNames(sts: KObject, claims: KObject[]): KObject[] {
  const templates = ((sts.spec?.volumeClaimTemplates ?? []) as KObject[]).map((t) => t.metadata?.name).filter(Boolean);
  return claims.filter(
    (c) =>
      c.metadata.namespace === sts.metadata.namespace &&
      templates.some((t) => new RegExp(`^${t}-${sts.metadata.name}-\\d+$`).test(c.metadata.name)),
  );
}

/** Choose what destroy deletes from the owned objects (pure). */
export function planDestroy(owned: KObject[], claimsInNamespaces: KObject[], keepData: boolean): { remove: KObject[]; keep: KObject[] } {
  const remove: KObject[] = [];
  const keep: KObject[] = [];
  const seen = new Set<string>();
  const add = (o: KObject, list: KObject[]): void => {
    const k = keyOf(refOf(o));
    if (seen.has(k)) return;
    seen.add(k);
    list.push(o);
  };
  for (const o of owned) {
    // Children (e.g. pods' ReplicaSets, never listed here anyway) go with their owner.
    if ((o.metadata.ownerReferences ?? []).some((r) => r.controller)) continue;
    if (keepData && (DATA_KINDS.has(o.kind) || o.kind === 'Namespace')) add(o, keep);
    else add(o, remove);
  }
  if (!keepData) {
    for (const sts of owned.filter((o) => o.kind === 'StatefulSet')) for (const c of statefulSetClaimNames(sts, claimsInNamespaces)) add(c, remove);
  }
  return { remove: sortForDelete(remove), keep };
}

/** Resolve when the object no longer exists (GET, then a watch from that version for its DELETED event). */
export async function waitGone(client: KubeClient, ref: ObjectRef, deadline: number): Promise<void> {
  const live = await client.get(ref);
  if (!live) return;
  await watchUntil(client, {
    path: await client.collectionPath(ref.apiVersion, ref.kind, ref.namespace),
    name: ref.name,
    timeoutMs: Math.max(0, deadline - Date.now()),
    timeoutError: () => new DeployTimeout(`${displayName(ref)} still exists (finalizers: ${(live.metadata as any).finalizers?.join(', ') || 'none'})`),
    done: (ev) => ev.type === 'DELETED',
    // Each (re)list is authoritative: absent there means gone, even if its DELETED event fell in a gap.
    doneOnSync: (items) => !items.some((o) => o.metadata.name === ref.name),
  });
}

export async function destroy(opts: DestroyOptions = {}): Promise<DestroyResult[]> {
  const log = opts.log ?? ((s: string) => process.stdout.write(s + '\n'));
  const distDir = opts.dist ?? 'dist';
  const apps = appNames(distDir, opts.app, `nothing to destroy: no --app given and no manifests in ${distDir}/`);
  return withClient(opts, async (client) => {
    const out: DestroyResult[] = [];
    for (const app of apps) {
      const namespace = targetNamespace(client, opts.namespace);
      const desired = distObjectsIfAny(distDir, app);
      const namespaces = namespacesOf(desired, namespace);
      const owned = await listOwned(client, app, namespaces, desired);
      const claims = opts.keepData
        ? []
        : (await Promise.all(namespaces.map((ns) => client.list('v1', 'PersistentVolumeClaim', { namespace: ns })))).flat();
      const plan = planDestroy(owned, claims, Boolean(opts.keepData));
      log(`destroying ${app} in ${describeContext(client.context)}${opts.keepData ? ' (keeping data: PVCs, Secrets, Namespaces)' : ''}`);
      const deleted: string[] = [];
      for (const o of plan.remove) {
        if (await client.delete(refOf(o))) {
          deleted.push(displayName(refOf(o)));
          log(`  deleted ${displayName(refOf(o))}`);
        }
      }
      for (const o of plan.keep) log(`  kept    ${displayName(refOf(o))}`);
      if (opts.wait !== false) {
        const deadline = Date.now() + timeoutMs(opts.timeout);
        await Promise.all(plan.remove.map((o) => waitGone(client, refOf(o), deadline)));
        // Pods go with their ReplicaSets/StatefulSets in the background; wait for them too, so that a
        // following deploy (or --keep-data redeploy) starts from a clean slate.
        await Promise.all(
          namespaces.map(async (ns) => {
            const pods = await client.list('v1', 'Pod', { namespace: ns, labelSelector: `${APP_LABEL}=${app}` });
            await Promise.all(pods.map((p) => waitGone(client, refOf({ ...p, apiVersion: 'v1', kind: 'Pod' }), deadline)));
          }),
        );
      }
      log(`destroyed ${app}: ${deleted.length} deleted, ${plan.keep.length} kept`);
      out.push({ app, deleted, kept: plan.keep.map((o) => displayName(refOf(o))) });
    }
    return out;
  });
}
