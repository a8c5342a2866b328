/**
 * berth diff: what deploy would change, from a server-side dry-run apply
 * (so defaults, admission and field ownership are the server's, not a guess).
 */
import { ContextOptions, describeContext } from '../kube/context';
import { targetNamespace, withClient } from '../kube/connect';
import { commandDeadline } from './deploy';
import { appScope, listOwned, namespacedLookup } from './owned';
import { describeReplacement, Replacement } from './replace';
import { replacementsFor } from './replace-run';
import { KubeApiError, KubeClient } from '../kube/client';
import { readDist } from '../dist';
import { prepareObjects, sortForApply } from './plan';
import { planPrune } from './prune';
import { FIELD_MANAGER } from '../contract';
import { fillGeneratedKeys } from './secrets';
import { displayName, KObject, keyOf, refOf } from '../kube/types';

export interface FieldChange {
  path: string;
  before?: unknown;
  after?: unknown;
}

export interface ObjectDiff {
  name: string;
  /** replace: an immutable field changed, deploy re-creates it; invalid: the server refused the dry run. */
  action: 'create' | 'update' | 'delete' | 'replace' | 'invalid';
  changes: FieldChange[];
  /** For replace: why, how and any data lost; for invalid: the server's message. */
  notes?: string[];
  /** For replace: deploy needs --allow-data-loss. */
  dataLoss?: boolean;
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
    /^(data|stringData)(\.|$)/.test(c.path)
      ? { path: c.path, before: c.before === undefined ? undefined : '(hidden)', after: c.after === undefined ? undefined : '(hidden)' }
      : c,
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
    const sign = { create: '+', delete: '-', update: '~', replace: '!', invalid: '?' }[d.action];
    const tag = {
      create: ' (new)',
      delete: ' (prune)',
      update: '',
      replace: d.dataLoss ? ' (REPLACE, loses data: needs --allow-data-loss)' : ' (REPLACE)',
      invalid: ' (the server refuses this change)',
    }[d.action];
    lines.push(`${sign} ${d.name}${tag}`);
    for (const c of d.changes) lines.push(`    ${c.path}: ${show(c.before)} → ${show(c.after)}`);
    for (const n of d.notes ?? []) lines.push(`    ${n}`);
  }
  return lines.join('\n');
}

export interface DiffOptions extends ContextOptions {
  dist?: string;
  app?: string;
  namespace?: string;
  prune?: boolean;
  /** Bound on the whole command, e.g. "2m" (default 5 minutes). */
  timeout?: string | number;
  client?: KubeClient;
}

export interface AppDiff {
  app: string;
  context: string;
  diffs: ObjectDiff[];
}

function replacementDiff(r: Replacement): ObjectDiff {
  const [, ...why] = describeReplacement(r);
  return { name: r.name, action: 'replace', changes: [], notes: why.map((l) => l.trim()), dataLoss: r.dataLoss.length > 0 };
}

/** One object: planned replacement, or the server's dry-run answer; a refusal is reported, never thrown. */
async function diffObject(client: KubeClient, obj: KObject, live: KObject | undefined, replacement: Replacement | undefined): Promise<ObjectDiff> {
  const name = displayName(refOf(obj));
  if (replacement) return replacementDiff(replacement);
  try {
    const { obj: body } = fillGeneratedKeys(obj, live);
    return objectDiff(name, live, await client.apply(body, FIELD_MANAGER, { dryRun: true }));
  } catch (e) {
    if (e instanceof KubeApiError && e.reason === 'NoKindMatch') return { name, action: 'create', changes: [] };
    if (e instanceof KubeApiError && e.status >= 400 && e.status < 500 && e.status !== 404) return { name, action: 'invalid', changes: [], notes: [e.message] };
    throw e;
  }
}

export async function diff(opts: DiffOptions = {}): Promise<AppDiff[]> {
  const bound = commandDeadline('diff', opts.timeout);
  const apps = readDist(opts.dist ?? 'dist', opts.app);
  return withClient({ ...opts, deadline: bound }, async (client) => {
    const out: AppDiff[] = [];
    for (const dist of apps) {
      const namespace = targetNamespace(client, opts.namespace);
      const isNamespaced = await namespacedLookup(client, dist.objects, true);
      const desired = sortForApply(prepareObjects(dist.objects, { app: dist.app, namespace, isNamespaced }));
      const live = new Map<string, KObject | undefined>();
      await Promise.all(
        desired.map(async (o) => {
          const l = await client.get(refOf(o)).catch((e) => {
            if (e instanceof KubeApiError && e.reason === 'NoKindMatch') return undefined;
            throw e;
          });
          live.set(keyOf(refOf(o)), l);
        }),
      );
      const replacements = new Map((await replacementsFor(client, desired, live)).map((r) => [keyOf(refOf(r.desired)), r]));
      const diffs = await Promise.all(desired.map((o) => diffObject(client, o, live.get(keyOf(refOf(o))), replacements.get(keyOf(refOf(o))))));
      if (opts.prune !== false) {
        const { inventory, namespaces } = await appScope(client, dist.app, namespace, desired);
        const plan = planPrune(await listOwned(client, dist.app, namespaces, desired, inventory.kinds), desired, { app: dist.app, namespaces });
        for (const o of plan.delete) diffs.push({ name: displayName(refOf(o)), action: 'delete', changes: [] });
      }
      out.push({ app: dist.app, context: describeContext(client.context), diffs });
    }
    return out;
  });
}
