/**
 * berth destroy: delete everything this app owns. With --keep-data, PVCs and
 * Secrets (and the app's Namespaces, whose deletion would take them along)
 * stay, so a later deploy finds the same data and credentials.
 */
import { APP_LABEL } from '../contract';
import { ContextOptions, describeContext } from '../kube/context';
import { targetNamespace, withClient } from '../kube/connect';
import { commandDeadline } from './deploy';
import { appScope, listOwned } from './owned';
import { deleteInventory } from './inventory';
import { DeployTimeout } from './errors';
import { KubeClient } from '../kube/client';
import { appNames, distObjectsIfAny } from '../dist';
import { sortForDelete } from './plan';
import { displayName, KObject, keyOf, ObjectRef, refOf } from '../kube/types';
import { watchUntil } from '../kube/watch-until';

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
  /**
   * Asked once with the plans of every app before anything is deleted
   * (the CLI shows them and asks, or refuses without --yes off a terminal);
   * resolve false or throw to delete nothing. Without it destroy proceeds:
   * a program calling destroy() has decided.
   */
  confirm?: (plans: DestroyPlan[]) => Promise<boolean>;
}

/** What destroy will do for one app (read before anything is deleted). */
export interface DestroyPlan {
  app: string;
  context: string;
  namespace: string;
  namespaces: string[];
  remove: KObject[];
  keep: KObject[];
}

export interface DestroyResult {
  app: string;
  deleted: string[];
  kept: string[];
}

/** Kinds destroy names apart (data, credentials) and --keep-data keeps. */
const DATA_KIND = 'PersistentVolumeClaim';
const CREDENTIAL_KIND = 'Secret';
const DATA_KINDS = new Set([DATA_KIND, CREDENTIAL_KIND]);

/** PVCs a StatefulSet's volumeClaimTemplates created: <template>-<statefulset>-<ordinal>. */
export function statefulSetClaimNames(sts: KObject, claims: KObject[]): KObject[] {
  const templates = ((sts.spec?.volumeClaimTemplates ?? []) as KObject[]).map((t) => t.metadata?.name).filter(Boolean);
  return claims.filter(
    (c) => c.metadata.namespace === sts.metadata.namespace && templates.some((t) => new RegExp(`^${t}-${sts.metadata.name}-\\d+$`).test(c.metadata.name)),
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

/** Read what destroying `app` would delete and keep. */
export async function planDestroyApp(client: KubeClient, app: string, opts: DestroyOptions): Promise<DestroyPlan> {
  const namespace = targetNamespace(client, opts.namespace);
  const desired = distObjectsIfAny(opts.dist ?? 'dist', app);
  const { inventory, namespaces } = await appScope(client, app, namespace, desired);
  const owned = await listOwned(client, app, namespaces, desired, inventory.kinds);
  const claims = opts.keepData ? [] : (await Promise.all(namespaces.map((ns) => client.list('v1', 'PersistentVolumeClaim', { namespace: ns })))).flat();
  const plan = planDestroy(owned, claims, Boolean(opts.keepData));
  return { app, context: describeContext(client.context), namespace, namespaces, ...plan };
}

export async function destroy(opts: DestroyOptions = {}): Promise<DestroyResult[]> {
  // Parsed before the first request: a bad --timeout deletes nothing.
  const bound = commandDeadline('destroy', opts.timeout);
  const deadline = bound.at;
  const log = opts.log ?? ((s: string) => process.stdout.write(s + '\n'));
  const distDir = opts.dist ?? 'dist';
  const apps = appNames(distDir, opts.app, `nothing to destroy: no --app given and no manifests in ${distDir}/`);
  return withClient({ ...opts, deadline: bound }, async (client) => {
    const plans: DestroyPlan[] = [];
    for (const app of apps) plans.push(await planDestroyApp(client, app, opts));
    if (opts.confirm && !(await opts.confirm(plans))) return [];
    const out: DestroyResult[] = [];
    for (const plan of plans) {
      const { app, namespaces } = plan;
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
      // The record goes last, once everything it lists is gone; with --keep-data it still describes what is left.
      if (!opts.keepData) await deleteInventory(client, app, plan.namespace);
      log(`destroyed ${app}: ${deleted.length} deleted, ${plan.keep.length} kept`);
      out.push({ app, deleted, kept: plan.keep.map((o) => displayName(refOf(o))) });
    }
    return out;
  });
}

/**
 * The destroy plan as a user reads it before confirming (pure): per app,
 * data (PVCs) and credentials (Secrets) on lines of their own.
 */
export function describeDestroy(plans: DestroyPlan[]): string {
  const names = (objs: KObject[]): string => objs.map((o) => displayName(refOf(o))).join(', ');
  const lines: string[] = [];
  for (const p of plans) {
    lines.push(`app ${p.app} on ${p.context} (namespace${p.namespaces.length > 1 ? 's' : ''} ${p.namespaces.join(', ')}):`);
    if (p.remove.length === 0) lines.push('  nothing to delete (not deployed there)');
    const data = p.remove.filter((o) => o.kind === DATA_KIND);
    const creds = p.remove.filter((o) => o.kind === CREDENTIAL_KIND);
    const namespaces = p.remove.filter((o) => o.kind === 'Namespace');
    const rest = p.remove.filter((o) => !DATA_KINDS.has(o.kind) && o.kind !== 'Namespace');
    if (rest.length) lines.push(`  delete ${rest.length} object(s): ${names(rest)}`);
    if (data.length) lines.push(`  DATA: delete ${data.length} PersistentVolumeClaim(s) and the data on them: ${names(data)}`);
    if (creds.length) lines.push(`  CREDENTIALS: delete ${creds.length} Secret(s): ${names(creds)}`);
    if (namespaces.length) lines.push(`  NAMESPACES: delete ${names(namespaces)} with everything in them`);
    if (p.keep.length) lines.push(`  keep (--keep-data): ${names(p.keep)}`);
  }
  return lines.join('\n');
}
