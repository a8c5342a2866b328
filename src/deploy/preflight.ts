/**
 * Everything deploy reads and checks before its first change to the
 * cluster: kinds declared, nothing foreign taken over, no prune that empties
 * the app, immutable changes planned (data loss only with a flag). A refusal
 * here leaves the cluster exactly as it was.
 */
import { RefusedError } from '../errors';
import { KubeClient } from '../kube/client';
import { targetNamespace } from '../kube/connect';
import { KObject, keyOf, refOf } from '../kube/types';
import { checkKinds, checkOwnership, checkPruneGuard, ownershipConflicts } from './guards';
import { Inventory } from './inventory';
import { DistApp } from '../dist';
import { appScope, listOwned, namespacedLookup } from './owned';
import { prepareObjects } from './plan';
import { planPrune, PrunePlan } from './prune';
import { describeReplacement, Replacement } from './replace';
import { replacementsFor } from './replace-run';

export interface PreflightOptions {
  namespace?: string;
  prune?: boolean;
  allowEmptyPrune?: boolean;
  adopt?: boolean;
  allowDataLoss?: boolean;
}

export interface DeployPlan {
  app: string;
  /** Target namespace (objects without one go here; the inventory lives here). */
  namespace: string;
  desired: KObject[];
  /** Namespaces dist uses, plus those the inventory recorded. */
  namespaces: string[];
  inventory: Inventory;
  /** Live labelled objects of the app (prune candidates). */
  owned: KObject[];
  /** Every desired object's live state by key (undefined: does not exist). */
  before: Map<string, KObject | undefined>;
  prune: PrunePlan | undefined;
  replacements: Replacement[];
}

export async function preflight(client: KubeClient, dist: DistApp, opts: PreflightOptions): Promise<DeployPlan> {
  checkKinds(dist.app, dist.file, dist.objects);
  const namespace = targetNamespace(client, opts.namespace);
  const isNamespaced = await namespacedLookup(client, dist.objects);
  const desired = prepareObjects(dist.objects, { app: dist.app, namespace, isNamespaced });
  const { inventory, namespaces } = await appScope(client, dist.app, namespace, desired);

  // One list per kind serves as the "before" state for apply and as the prune candidates.
  const owned = await listOwned(client, dist.app, namespaces, desired, inventory.kinds);
  const before = new Map<string, KObject | undefined>(owned.map((o) => [keyOf(refOf(o)), o]));
  const unknown = desired.filter((d) => !before.has(keyOf(refOf(d))));
  const found = await Promise.all(unknown.map((d) => client.get(refOf(d))));
  unknown.forEach((d, i) => before.set(keyOf(refOf(d)), found[i]));
  checkOwnership(dist.app, ownershipConflicts(dist.app, desired, before), Boolean(opts.adopt));

  const prune = opts.prune === false ? undefined : planPrune(owned, desired, { app: dist.app, namespaces });
  if (prune) checkPruneGuard({ app: dist.app, file: dist.file, desired, toDelete: prune.delete, allowEmptyPrune: Boolean(opts.allowEmptyPrune) });

  const replacements = await replacementsFor(client, desired, before);
  const lossy = replacements.filter((r) => r.dataLoss.length > 0);
  if (lossy.length > 0 && !opts.allowDataLoss) {
    throw new RefusedError(
      `deploying ${dist.app} would lose data:\n  ${lossy.flatMap(describeReplacement).join('\n  ')}\nNothing was changed`,
      'revert the change in the app, or deploy with --allow-data-loss if that data may go (back it up first)',
    );
  }
  return { app: dist.app, namespace, desired, namespaces, inventory, owned, before, prune, replacements };
}
