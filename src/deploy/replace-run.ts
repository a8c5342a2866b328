/**
 * Carry out planned replacements (see replace.ts) before apply re-creates
 * the objects. Every step is idempotent, so a deploy interrupted halfway is
 * finished by the next one: a StatefulSet already deleted is simply created,
 * and stray pods it left (old selector) are removed by `removeStrayPods`.
 */
import { KubeClient } from '../kube/client';
import { displayName, KObject, keyOf, ObjectRef, refOf } from '../kube/types';
import { statefulSetClaimNames, waitGone } from './destroy';
import { planReplacements, Replacement, storageClassInfo } from './replace';

/** Pods `<sts>-<ordinal>` with no controller that the StatefulSet's selector does not match: they block its own pods (pure). */
export function strayPods(sts: KObject, pods: KObject[]): KObject[] {
  const labels = (sts.spec?.selector?.matchLabels ?? {}) as Record<string, string>;
  const re = new RegExp(`^${sts.metadata.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-\\d+$`);
  return pods.filter(
    (p) =>
      re.test(p.metadata.name) &&
      !(p.metadata.ownerReferences ?? []).some((o) => o.controller) &&
      !Object.entries(labels).every(([k, v]) => p.metadata.labels?.[k] === v),
  );
}

const podRef = (ns: string | undefined, name: string): ObjectRef => ({ apiVersion: 'v1', kind: 'Pod', namespace: ns, name });

async function claimsOf(client: KubeClient, sts: KObject): Promise<KObject[]> {
  return statefulSetClaimNames(sts, await client.list('v1', 'PersistentVolumeClaim', { namespace: sts.metadata.namespace }));
}

/** Grow existing claims of a StatefulSet in place (merge patch of spec.resources.requests.storage). */
async function expandClaims(client: KubeClient, r: Replacement, log: (s: string) => void): Promise<void> {
  const claims = await claimsOf(client, r.live);
  for (const e of r.expand.filter((x) => x.expandable)) {
    for (const c of claims.filter((x) => x.metadata.name.startsWith(`${e.template}-${r.live.metadata.name}-`))) {
      await client.request('PATCH', await client.objectPath(refOf({ ...c, apiVersion: 'v1', kind: 'PersistentVolumeClaim' })), {
        body: { spec: { resources: { requests: { storage: e.to } } } },
        contentType: 'application/merge-patch+json',
      });
      log(`expanded   PersistentVolumeClaim ${c.metadata.namespace}/${c.metadata.name} to ${e.to}`);
    }
  }
}

/** Delete what a replacement needs gone, waiting until it is; apply then creates the new objects. */
export async function runReplacement(client: KubeClient, r: Replacement, deadline: number, log: (s: string) => void): Promise<void> {
  const ref = refOf(r.live);
  if (r.strategy === 'orphan-recreate') {
    await client.delete(ref, 'Orphan');
    await waitGone(client, ref, deadline);
    log(`replaced   ${r.name} (deleted with propagationPolicy Orphan: pods and claims kept)`);
    if (r.deleteOldPods) {
      const pods = await client.list('v1', 'Pod', { namespace: ref.namespace });
      await removeStrayPods(client, r.desired, pods, deadline, log);
    }
    await expandClaims(client, r, log);
    return;
  }
  const claims = r.deleteClaims ? await claimsOf(client, r.live) : [];
  await client.delete(ref, r.deleteClaims ? 'Foreground' : 'Background');
  await waitGone(client, ref, deadline);
  if (r.deleteClaims) {
    // Pods first (Foreground above), then their claims: a claim in use is only deleted once no pod mounts it.
    for (const c of claims) {
      const cref = refOf({ ...c, apiVersion: 'v1', kind: 'PersistentVolumeClaim' });
      await client.delete(cref);
      await waitGone(client, cref, deadline);
      log(`deleted    ${displayName(cref)} (--allow-data-loss)`);
    }
  }
  log(`replaced   ${r.name} (deleted, created again below)`);
}

/** Delete stray pods (see strayPods) and wait until they are gone. */
export async function removeStrayPods(client: KubeClient, sts: KObject, pods: KObject[], deadline: number, log: (s: string) => void): Promise<void> {
  const stray = strayPods(sts, pods);
  for (const p of stray) {
    const ref = podRef(p.metadata.namespace ?? sts.metadata.namespace, p.metadata.name);
    await client.delete(ref);
    log(`deleted    ${displayName(ref)} (left by the old StatefulSet; its claims stay)`);
  }
  await Promise.all(stray.map((p) => waitGone(client, podRef(p.metadata.namespace ?? sts.metadata.namespace, p.metadata.name), deadline)));
}

/** The replacements deploy would make; the StorageClasses are read only when a live StatefulSet or PVC may need them. */
export async function replacementsFor(client: KubeClient, desired: KObject[], live: Map<string, KObject | undefined>): Promise<Replacement[]> {
  const storage = desired.some((d) => (d.kind === 'StatefulSet' || d.kind === 'PersistentVolumeClaim') && live.get(keyOf(refOf(d))));
  const classes = storage ? storageClassInfo(await client.list('storage.k8s.io/v1', 'StorageClass')) : [];
  return planReplacements(desired, live, classes);
}
