/**
 * Server-side apply of prepared objects, tier by tier in dependency order.
 */
import { FIELD_MANAGER } from '../contract';
import { KubeApiError, KubeClient } from '../kube/client';
import { applyTiers } from './plan';
import { fillGeneratedKeys } from './secrets';
import { displayName, KObject, keyOf, refOf } from '../kube/types';
import { waitForDefaultServiceAccount } from '../kube/service-account';
import { watchUntil } from '../kube/watch-until';
import { BerthError } from '../errors';

export type Change = 'created' | 'configured' | 'unchanged';

export interface Applied {
  name: string;
  desired: KObject;
  /** Object as the server returned it (with status): readiness starts from here. */
  result: KObject;
  /** Live object before apply (undefined when it did not exist). */
  before?: KObject;
  change: Change;
  /** Secret keys that got fresh random values (names only, never values). */
  generated: string[];
}

export interface ApplyOptions {
  dryRun?: boolean;
  /** Live objects already read (by key; undefined: known not to exist); keys missing here are read with a GET. */
  live?: Map<string, KObject | undefined>;
  onApplied?: (a: Applied) => void;
  /** The command's deadline (epoch ms): bounds the waits for a new CRD or Namespace; 30 s each when unset. */
  deadline?: number;
}

/** Apply failed for one object: says which and what the API server answered. */
export class ApplyError extends BerthError {
  constructor(message: string, hint?: string) {
    super(message, 'failed', hint);
    this.name = 'ApplyError';
  }
}

function changeOf(before: KObject | undefined, after: KObject): Change {
  if (!before) return 'created';
  return before.metadata.resourceVersion === after.metadata.resourceVersion ? 'unchanged' : 'configured';
}

/** Bound on the waits for a new CRD or Namespace when the caller has no deadline of its own. */
const SETTLE_WAIT_MS = 30_000;

/** Wait (by watch) until a just-applied CRD is Established, so its custom resources can be applied. */
async function waitEstablished(client: KubeClient, crd: KObject, timeoutMs: number): Promise<void> {
  const isEstablished = (o: KObject): boolean => (o.status?.conditions ?? []).some((c: any) => c.type === 'Established' && c.status === 'True');
  if (isEstablished(crd)) return;
  await watchUntil(client, {
    path: await client.collectionPath('apiextensions.k8s.io/v1', 'CustomResourceDefinition'),
    name: crd.metadata.name,
    timeoutMs,
    timeoutError: () => new ApplyError(`CustomResourceDefinition ${crd.metadata.name} not Established after ${Math.round(timeoutMs / 1000)}s`),
    done: (ev) => isEstablished(ev.object),
  });
}

async function applyOne(client: KubeClient, desired: KObject, opts: ApplyOptions): Promise<Applied> {
  const name = displayName(refOf(desired));
  try {
    // Listed objects save a GET per object (an unchanged redeploy then needs one request per object).
    const key = keyOf(refOf(desired));
    const before = opts.live?.has(key) ? opts.live.get(key) : await client.get(refOf(desired));
    const { obj, generated } = fillGeneratedKeys(desired, before);
    const result = await client.apply(obj, FIELD_MANAGER, { dryRun: opts.dryRun });
    return { name, desired: obj, result, before, change: changeOf(before, result), generated };
  } catch (e) {
    if (e instanceof KubeApiError) {
      const ns = desired.metadata.namespace;
      const hint =
        e.status === 404 && ns && /namespaces? "?[^ ]*"? not found/.test(e.message)
          ? ` — namespace ${ns} does not exist: deploy with --create-namespace, create it (kubectl create namespace ${ns}) or add a Namespace to the app`
          : '';
      const immutable = e.status === 422 && /immutable|Forbidden: updates to/.test(e.message);
      throw new ApplyError(
        `applying ${name} failed: ${e.message}${hint}`,
        immutable
          ? 'this change needs the object re-created, which berth does not plan for this field: run berth diff, then delete the object yourself or revert the change'
          : undefined,
      );
    }
    throw e;
  }
}

/** Apply all objects; objects of one tier in parallel, tiers in dependency order. */
export async function applyObjects(client: KubeClient, objects: KObject[], opts: ApplyOptions = {}): Promise<Applied[]> {
  const out: Applied[] = [];
  for (const tier of applyTiers(objects)) {
    const results = await Promise.all(tier.map((o) => applyOne(client, o, opts)));
    for (const r of results) {
      out.push(r);
      opts.onApplied?.(r);
    }
    if (opts.dryRun) continue;
    const crds = results.filter((r) => r.desired.kind === 'CustomResourceDefinition');
    const deadline = opts.deadline ?? Date.now() + SETTLE_WAIT_MS;
    if (crds.length > 0) {
      await Promise.all(crds.map((r) => waitEstablished(client, r.result, Math.max(0, deadline - Date.now()))));
      client.resetDiscovery();
    }
    // A Namespace made here (one the app declares) takes pods only once it has its default ServiceAccount.
    const namespaces = results.filter((r) => r.desired.kind === 'Namespace' && !r.desired.apiVersion.includes('/') && r.change === 'created');
    await Promise.all(namespaces.map((r) => waitForDefaultServiceAccount(client, r.result.metadata.name, deadline)));
  }
  return out;
}
