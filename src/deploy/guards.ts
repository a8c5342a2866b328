/**
 * Safety checks deploy runs before it changes anything (pure): an empty or
 * workload-less dist/ must not prune the app away, objects berth did not
 * make must not be taken over, kinds berth's constructs never produce must
 * be declared.
 */
import { ALLOW_KIND_ANNOTATION, APP_LABEL, CONSTRUCT_KINDS } from '../contract';
import { RefusedError } from '../errors';
import { displayName, KObject, keyOf, refOf } from '../kube/types';

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod']);

function list(objs: KObject[], max = 8): string {
  const names = objs.map((o) => displayName(refOf(o)));
  return names.length > max ? `${names.slice(0, max).join(', ')} and ${names.length - max} more` : names.join(', ');
}

export interface PruneGuardInput {
  app: string;
  file: string;
  desired: KObject[];
  /** What prune would delete. */
  toDelete: KObject[];
  allowEmptyPrune: boolean;
}

/**
 * Refuse a prune that would take the app down: dist/ has no objects, or no
 * workloads while prune would delete live ones (a truncated or wrong
 * manifest). kapp's dangerous-allow-empty-list-of-resources is the model.
 */
export function checkPruneGuard(i: PruneGuardInput): void {
  if (i.allowEmptyPrune || i.toDelete.length === 0) return;
  const hint = `if the app is meant to go, run berth destroy --app ${i.app}; to prune anyway, deploy with --allow-empty-prune`;
  if (i.desired.length === 0) {
    throw new RefusedError(
      `${i.file} has no objects, so prune would delete all ${i.toDelete.length} object(s) of app ${i.app}: ${list(i.toDelete)}. Nothing was changed`,
      `re-synthesize (berth synth) if the file is truncated; ${hint}`,
    );
  }
  const liveWorkloads = i.toDelete.filter((o) => WORKLOAD_KINDS.has(o.kind));
  if (liveWorkloads.length > 0 && !i.desired.some((o) => WORKLOAD_KINDS.has(o.kind))) {
    throw new RefusedError(
      `${i.file} has no workloads, so prune would delete every workload of app ${i.app}: ${list(liveWorkloads)}. Nothing was changed`,
      `check that ${i.file} is the app you mean; ${hint}`,
    );
  }
}

export interface Conflict {
  obj: KObject;
  /** The app label value on the live object; undefined when it has none. */
  owner: string | undefined;
}

/**
 * dist objects that already exist in the cluster without this app's label
 * (made by hand, another tool or another app): applying would take them over,
 * and a later prune or destroy would delete them.
 */
export function ownershipConflicts(app: string, desired: KObject[], live: Map<string, KObject | undefined>): Conflict[] {
  const out: Conflict[] = [];
  for (const d of desired) {
    const l = live.get(keyOf(refOf(d)));
    if (!l) continue;
    const owner = l.metadata.labels?.[APP_LABEL];
    if (owner !== app) out.push({ obj: d, owner });
  }
  return out;
}

/** Refuse conflicts: unlabelled objects only with --adopt, another app's never. */
export function checkOwnership(app: string, conflicts: Conflict[], adopt: boolean): void {
  const foreign = conflicts.filter((c) => c.owner !== undefined);
  if (foreign.length > 0) {
    const c = foreign[0];
    throw new RefusedError(
      `${displayName(refOf(c.obj))} already exists and belongs to app ${c.owner} (label ${APP_LABEL}=${c.owner})` +
        (foreign.length > 1 ? ` (and ${foreign.length - 1} more: ${list(foreign.slice(1).map((f) => f.obj))})` : '') +
        `; app ${app} does not take it over. Nothing was changed`,
      `rename the object in app ${app}, or remove it from app ${c.owner} first`,
    );
  }
  if (conflicts.length > 0 && !adopt) {
    throw new RefusedError(
      `${conflicts.length === 1 ? 'an object' : `${conflicts.length} objects`} of app ${app} already exist(s) in the cluster without the label ${APP_LABEL}: ` +
        `${list(conflicts.map((c) => c.obj))}. berth did not create ${conflicts.length === 1 ? 'it' : 'them'}; taking over would let prune and destroy delete ${conflicts.length === 1 ? 'it' : 'them'}. Nothing was changed`,
      'rename the object(s) in the app, or deploy with --adopt to make them part of the app (berth destroy then deletes them)',
    );
  }
}

/** dist objects of kinds berth's constructs never produce and that do not declare themselves (pure). */
export function undeclaredKinds(desired: KObject[]): KObject[] {
  return desired.filter((o) => !CONSTRUCT_KINDS.includes(o.kind) && o.metadata.annotations?.[ALLOW_KIND_ANNOTATION] !== o.kind);
}

export function checkKinds(app: string, file: string, desired: KObject[]): void {
  const bad = undeclaredKinds(desired);
  if (bad.length === 0) return;
  const kinds = [...new Set(bad.map((o) => o.kind))];
  throw new RefusedError(
    `${file} has ${bad.length} object(s) of kind(s) berth's constructs never make: ${list(bad)}. ` +
      `They may grant cluster-wide rights or own other objects, so app ${app} must declare them. Nothing was changed`,
    `declare them in the app: new BerthChart(app, '${app}', { allowKinds: [${kinds.map((k) => `'${k}'`).join(', ')}] }) ` +
      `(or annotate each object ${ALLOW_KIND_ANNOTATION}: <its kind>), then berth synth`,
  );
}
