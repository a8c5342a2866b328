/**
 * Server-side apply of prepared objects, tier by tier in dependency order.
 */
import { FIELD_MANAGER } from '../contract';
import { KubeApiError, KubeClient } from './kube';
import { applyTiers } from './plan';
import { fillGeneratedKeys } from './secrets';
import { displayName, KObject, keyOf, refOf } from './types';
import { watchUntil } from './watch-until';

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
  /** Live objects already listed (by key); objects missing here are read with a GET. */
  live?: Map<string, KObject>;
  onApplied?: (a: Applied) => void;
}

/** Apply failed for one object: says which and what the API server answered. */
export class ApplyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApplyError';
  }
}

function changeOf(before: KObject | undefined, after: KObject): Change {
  if (!before) return 'created';
  return before.metadata.resourceVersion === after.metadata.resourceVersion ? 'unchanged' : 'configured';
}

/** Wait (by watch) until a just-applied CRD is Established, so its custom resources can be applied. */
async function waitEstablished(client: KubeClient, crd: KObject, timeoutMs = 30_000): Promise<void> {
  const isEstablished = (o: KObject): boolean =>
    (o.status?.conditions ?? []).some((c: any) => c.type === 'Established' && c.status === 'True');
  if (isEstablished(crd)) return;
  await watchUntil(client, {
    path: await client.collectionPath('apiextensions.k8s.io/v1', 'CustomResourceDefinition'),
    name: crd.metadata.name,
    timeoutMs,
    timeoutError: () => new ApplyError(`CustomResourceDefinition ${crd.metadata.name} not Established after ${timeoutMs / 1000}s`),
    done: (ev) => isEstablished(ev.object),
  });
}

async function applyOne(client: KubeClient, desired: KObject, opts: ApplyOptions): Promise<Applied> {
  const name = displayName(refOf(desired));
  try {
    // Listed objects save a GET per object (an unchanged redeploy then needs one request per object).
    const before = opts.live?.get(keyOf(refOf(desired))) ?? (await client.get(refOf(desired)));
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
      throw new ApplyError(`applying ${name} failed: ${e.message}${hint}`);
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
    const crds = results.filter((r) => r.desired.kind === 'CustomResourceDefinition');
    if (crds.length > 0 && !opts.dryRun) {
      await Promise.all(crds.map((r) => waitEstablished(client, r.result)));
      client.resetDiscovery();
    }
  }
  return out;
}
