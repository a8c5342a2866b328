/**
 * berth diff: what deploy would change, from a server-side dry-run apply
 * (so defaults, admission and field ownership are the server's, not a guess).
 */
import { ContextOptions, describeContext } from '../cluster/context';
import { targetNamespace, withClient } from './connect';
import { listOwned, namespacedLookup } from './deploy';
import { KubeApiError, KubeClient } from './kube';
import { readDist } from './manifest';
import { namespacesOf, prepareObjects, sortForApply } from './plan';
import { planPrune } from './prune';
import { FIELD_MANAGER } from '../contract';
import { fillGeneratedKeys } from './secrets';
import { displayName, KObject, refOf } from './types';

export interface FieldChange {
  path: string;
  before?: unknown;
  after?: unknown;
}

export interface ObjectDiff {
  name: string;
  action: 'create' | 'update' | 'delete';
  changes: FieldChange[];
}

const VOLATILE_METADATA = ['managedFields', 'resourceVersion', 'generation', 'uid', 'creationTimestamp', 'selfLink'];
const VOLATILE_ANNOTATIONS = ['kubectl.kubernetes.io/last-applied-configuration', 'deployment.kubernetes.io/revision'];

/** Drop server bookkeeping and status: what is left is what deploy controls. */
export function normalizeForDiff(obj: KObject): KObject {
  const o: KObject = structuredClone(obj);
  delete o.status;
  for (const k of VOLATILE_METADATA) delete o.metadata[k];
  if (o.metadata.annotations) {
    for (const a of VOLATILE_ANNOTATIONS) delete o.metadata.annotations[a];
    if (Object.keys(o.metadata.annotations).length === 0) delete o.metadata.annotations;
  }
  return o;
}

function isObj(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Leaf-level differences between two JSON values, as dotted paths. */
export function diffValues(before: unknown, after: unknown, path = ''): FieldChange[] {
  if (isObj(before) && isObj(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => diffValues(before[k], after[k], path ? `${path}.${k}` : k));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((b, i) => diffValues(b, after[i], `${path}[${i}]`));
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [{ path, before, after }];
}

/** Secret values never leave this module: changed data keys are reported by name only. */
export function maskSecret(obj: KObject, changes: FieldChange[]): FieldChange[] {
  if (obj.kind !== 'Secret') return changes;
  return changes.map((c) =>
    /^(data|stringData)(\.|$)/.test(c.path) ? { path: c.path, before: c.before === undefined ? undefined : '(hidden)', after: c.after === undefined ? undefined : '(hidden)' } : c,
  );
}

export function objectDiff(name: string, live: KObject | undefined, dryRun: KObject): ObjectDiff {
  if (!live) return { name, action: 'create', changes: [] };
  const changes = maskSecret(dryRun, diffValues(normalizeForDiff(live), normalizeForDiff(dryRun)));
  return { name, action: 'update', changes };
}

function show(v: unknown): string {
  if (v === undefined) return '(none)';
  const s = JSON.stringify(v);
  return s.length > 100 ? `${s.slice(0, 97)}...` : s;
}

export function formatDiffs(diffs: ObjectDiff[]): string {
  const changed = diffs.filter((d) => d.action !== 'update' || d.changes.length > 0);
  if (changed.length === 0) return 'no changes';
  const lines: string[] = [];
  for (const d of changed) {
    const sign = d.action === 'create' ? '+' : d.action === 'delete' ? '-' : '~';
    lines.push(`${sign} ${d.name}${d.action === 'create' ? ' (new)' : d.action === 'delete' ? ' (prune)' : ''}`);
    for (const c of d.changes) lines.push(`    ${c.path}: ${show(c.before)} → ${show(c.after)}`);
  }
  return lines.join('\n');
}

export interface DiffOptions extends ContextOptions {
  dist?: string;
  app?: string;
  namespace?: string;
  prune?: boolean;
  client?: KubeClient;
}

export interface AppDiff {
  app: string;
  context: string;
  diffs: ObjectDiff[];
}

export async function diff(opts: DiffOptions = {}): Promise<AppDiff[]> {
  const apps = readDist(opts.dist ?? 'dist', opts.app);
  return withClient(opts, async (client) => {
    const out: AppDiff[] = [];
    for (const dist of apps) {
      const namespace = targetNamespace(client, opts.namespace);
      const isNamespaced = await namespacedLookup(client, dist.objects, true);
      const desired = prepareObjects(dist.objects, { app: dist.app, namespace, isNamespaced });
      const diffs = await Promise.all(
        sortForApply(desired).map(async (obj): Promise<ObjectDiff> => {
          const name = displayName(refOf(obj));
          let live: KObject | undefined;
          try {
            live = await client.get(refOf(obj));
          } catch (e) {
            if (e instanceof KubeApiError && e.reason === 'NoKindMatch') return { name, action: 'create', changes: [] };
            throw e;
          }
          const { obj: body } = fillGeneratedKeys(obj, live);
          const dry = await client.apply(body, FIELD_MANAGER, { dryRun: true }).catch((e) => {
            throw new Error(`dry-run apply of ${name} failed: ${(e as Error).message}`);
          });
          return objectDiff(name, live, dry);
        }),
      );
      if (opts.prune !== false) {
        const namespaces = namespacesOf(desired, namespace);
        const plan = planPrune(await listOwned(client, dist.app, namespaces, desired), desired, { app: dist.app, namespaces });
        for (const o of plan.delete) diffs.push({ name: displayName(refOf(o)), action: 'delete', changes: [] });
      }
      out.push({ app: dist.app, context: describeContext(client.context), diffs });
    }
    return out;
  });
}
