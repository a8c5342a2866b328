/**
 * Planning changes to fields the API server will not update in place (pure).
 * Each becomes a Replacement: why, how (re-create; for StatefulSets with
 * propagationPolicy Orphan so pods and claims stay), and whether data would
 * be lost (which needs --allow-data-loss). Only fields the desired object
 * sets are compared, so server defaults never look like changes.
 */
import { displayName, KObject, keyOf, refOf } from '../kube/types';
import { DEFAULT_STORAGE_CLASS_ANNOTATION } from '../contract';
import { quantityValue } from '../kube/quantity';

export type Strategy =
  /** Delete the StatefulSet with propagationPolicy Orphan, apply the new one: it adopts the running pods and their claims. */
  | 'orphan-recreate'
  /** Delete, wait until gone, apply: the object's pods restart, no data is involved. */
  | 'recreate';

export interface ClaimExpansion {
  template: string;
  from: string;
  to: string;
  /** The StorageClass allows volume expansion (claims grow in place); false: existing claims keep their size. */
  expandable: boolean;
  storageClass: string | undefined;
}

export interface Replacement {
  desired: KObject;
  live: KObject;
  name: string;
  strategy: Strategy;
  /** Field changes that force the replacement, e.g. `spec.selector: {...} → {...}`. */
  reasons: string[];
  /** Non-empty when the change loses data: each says what is lost. */
  dataLoss: string[];
  /** StatefulSet claim templates grown: existing claims to expand. */
  expand: ClaimExpansion[];
  /** Old pods must go before the new StatefulSet can create its own (selector changed). */
  deleteOldPods: boolean;
  /** Existing claims must be deleted for the change to take effect (new storage class): data loss. */
  deleteClaims: boolean;
  notes: string[];
}

const show = (v: unknown): string => (v === undefined ? '(none)' : JSON.stringify(v));

/** Paths where `desired` sets a value that `live` does not have (arrays compared by length, then element-wise). */
export function subsetChanges(desired: unknown, live: unknown, path: string): string[] {
  if (desired === undefined) return [];
  if (Array.isArray(desired)) {
    if (!Array.isArray(live) || live.length !== desired.length) return [`${path}: ${show(live)} → ${show(desired)}`];
    return desired.flatMap((d, i) => subsetChanges(d, live[i], `${path}[${i}]`));
  }
  if (desired !== null && typeof desired === 'object') {
    if (live === null || typeof live !== 'object' || Array.isArray(live)) return [`${path}: ${show(live)} → ${show(desired)}`];
    return Object.entries(desired as Record<string, unknown>).flatMap(([k, v]) => subsetChanges(v, (live as Record<string, unknown>)[k], `${path}.${k}`));
  }
  return String(desired) === String(live) ? [] : [`${path}: ${show(live)} → ${show(desired)}`];
}

/** Selectors compare exactly: a label dropped from one matters as much as one added. */
export function selectorChange(desired: unknown, live: unknown, path: string): string[] {
  if (desired === undefined) return [];
  const norm = (x: any) =>
    JSON.stringify({ matchLabels: Object.fromEntries(Object.entries(x?.matchLabels ?? {}).sort()), matchExpressions: x?.matchExpressions ?? [] });
  return norm(desired) === norm(live) ? [] : [`${path}: ${show(live)} → ${show(desired)}`];
}

/** StatefulSet spec fields the API server updates in place; every other one is immutable. */
const STS_MUTABLE = new Set([
  'replicas',
  'ordinals',
  'template',
  'updateStrategy',
  'revisionHistoryLimit',
  'persistentVolumeClaimRetentionPolicy',
  'minReadySeconds',
]);

export interface StorageClassInfo {
  name: string;
  allowVolumeExpansion: boolean;
  isDefault: boolean;
}

export function storageClassInfo(classes: KObject[]): StorageClassInfo[] {
  return classes.map((c) => ({
    name: c.metadata.name,
    allowVolumeExpansion: (c as { allowVolumeExpansion?: boolean }).allowVolumeExpansion === true,
    isDefault: c.metadata.annotations?.[DEFAULT_STORAGE_CLASS_ANNOTATION] === 'true',
  }));
}

function classOf(name: string | undefined, classes: StorageClassInfo[]): StorageClassInfo | undefined {
  return name === undefined ? classes.find((c) => c.isDefault) : classes.find((c) => c.name === name);
}

function base(desired: KObject, live: KObject, strategy: Strategy): Replacement {
  return {
    desired,
    live,
    name: displayName(refOf(desired)),
    strategy,
    reasons: [],
    dataLoss: [],
    expand: [],
    deleteOldPods: false,
    deleteClaims: false,
    notes: [],
  };
}

function planStatefulSet(d: KObject, l: KObject, classes: StorageClassInfo[]): Replacement | undefined {
  const r = base(d, l, 'orphan-recreate');
  const ds = d.spec ?? {};
  const ls = l.spec ?? {};
  for (const key of Object.keys(ds).filter((k) => !STS_MUTABLE.has(k) && k !== 'volumeClaimTemplates')) {
    r.reasons.push(...(key === 'selector' ? selectorChange(ds[key], ls[key], 'spec.selector') : subsetChanges(ds[key], ls[key], `spec.${key}`)));
  }
  if (
    (ds.podManagementPolicy ?? 'OrderedReady') !== (ls.podManagementPolicy ?? 'OrderedReady') &&
    !r.reasons.some((x) => x.startsWith('spec.podManagementPolicy'))
  ) {
    r.reasons.push(`spec.podManagementPolicy: ${show(ls.podManagementPolicy)} → ${show(ds.podManagementPolicy ?? 'OrderedReady')}`);
  }
  if (r.reasons.some((x) => x.startsWith('spec.selector'))) {
    r.deleteOldPods = true;
    r.notes.push('the selector changed: the old pods are deleted (their claims stay) and the new StatefulSet starts its own');
  }
  const name = d.metadata.name;
  const dt = new Map<string, KObject>((ds.volumeClaimTemplates ?? []).map((t: KObject) => [t.metadata?.name, t]));
  const lt = new Map<string, KObject>((ls.volumeClaimTemplates ?? []).map((t: KObject) => [t.metadata?.name, t]));
  for (const tname of lt.keys()) {
    if (!dt.has(tname)) {
      r.reasons.push(`spec.volumeClaimTemplates: claim template "${tname}" removed`);
      r.dataLoss.push(
        `pods stop mounting their claims ${tname}-${name}-N (e.g. a switch to ephemeral storage): the data in them is no longer used (the claims are kept; berth destroy deletes them)`,
      );
    }
  }
  for (const [tname, t] of dt) {
    const old = lt.get(tname);
    const at = `spec.volumeClaimTemplates[${tname}]`;
    if (!old) {
      r.reasons.push(`${at}: new claim template`);
      continue;
    }
    const dsc = t.spec?.storageClassName;
    const lsc = old.spec?.storageClassName;
    if ((dsc ?? null) !== (lsc ?? null)) {
      r.reasons.push(`${at}.spec.storageClassName: ${show(lsc)} → ${show(dsc)}`);
      r.dataLoss.push(`a new storage class takes effect only on new claims: the claims ${tname}-${name}-N and their data are deleted`);
      r.deleteClaims = true;
    }
    const from = old.spec?.resources?.requests?.storage;
    const to = t.spec?.resources?.requests?.storage;
    if (to !== undefined && quantityValue(to) !== quantityValue(from)) {
      r.reasons.push(`${at}.spec.resources.requests.storage: ${show(from)} → ${show(to)}`);
      if (quantityValue(to) > quantityValue(from)) {
        const sc = classOf(dsc, classes);
        r.expand.push({ template: tname, from: String(from), to: String(to), expandable: sc?.allowVolumeExpansion === true, storageClass: sc?.name ?? dsc });
        if (sc?.allowVolumeExpansion !== true) {
          r.notes.push(`StorageClass ${sc?.name ?? dsc ?? '(default)'} does not allow volume expansion: existing claims keep ${from}, new replicas get ${to}`);
        }
      } else {
        r.notes.push(`claims cannot shrink: existing claims keep ${from}, new replicas get ${to}`);
      }
    }
    const rest = (x: KObject) => ({
      ...x.spec,
      storageClassName: undefined,
      resources: { ...x.spec?.resources, requests: { ...x.spec?.resources?.requests, storage: undefined } },
    });
    const other = [...subsetChanges(t.metadata, old.metadata, `${at}.metadata`), ...subsetChanges(rest(t), rest(old), `${at}.spec`)];
    if (other.length) {
      r.reasons.push(...other);
      r.notes.push(`existing claims keep their ${other.map((o) => o.split(':')[0].split('.').pop()).join(', ')}; only new claims get the new values`);
    }
  }
  if (r.reasons.length === 0) return undefined;
  if (r.deleteClaims) r.strategy = 'recreate';
  return r;
}

function planClaim(d: KObject, l: KObject, classes: StorageClassInfo[]): Replacement | undefined {
  const r = base(d, l, 'recreate');
  const { resources: dres, ...drest } = d.spec ?? {};
  const { resources: lres, ...lrest } = l.spec ?? {};
  const other = subsetChanges(drest, lrest, 'spec');
  const from = lres?.requests?.storage;
  const to = dres?.requests?.storage;
  const grow = to !== undefined && quantityValue(to) > quantityValue(from);
  const shrink = to !== undefined && quantityValue(to) < quantityValue(from);
  if (other.length) {
    r.reasons.push(...other);
    r.dataLoss.push('a claim cannot change anything but its size in place: it is deleted and created again, empty');
  }
  if (shrink) {
    r.reasons.push(`spec.resources.requests.storage: ${show(from)} → ${show(to)}`);
    r.dataLoss.push('a claim cannot shrink: it is deleted and created again, empty');
  }
  if (grow && !other.length) {
    const sc = classOf(l.spec?.storageClassName, classes);
    if (sc?.allowVolumeExpansion) return undefined; // apply grows it in place
    r.reasons.push(`spec.resources.requests.storage: ${show(from)} → ${show(to)}`);
    r.dataLoss.push(`StorageClass ${sc?.name ?? '(unknown)'} does not allow volume expansion: growing means deleting the claim and creating it again, empty`);
  }
  return r.reasons.length ? r : undefined;
}

function planOther(d: KObject, l: KObject): Replacement | undefined {
  const r = base(d, l, 'recreate');
  const ds = d.spec ?? {};
  const ls = l.spec ?? {};
  if (d.kind === 'Deployment' || d.kind === 'DaemonSet' || d.kind === 'ReplicaSet') {
    r.reasons.push(...selectorChange(ds.selector, ls.selector, 'spec.selector'));
  } else if (d.kind === 'Job') {
    r.reasons.push(...selectorChange(ds.selector, ls.selector, 'spec.selector'));
    for (const key of ['template', 'completionMode']) r.reasons.push(...subsetChanges(ds[key], ls[key], `spec.${key}`));
  } else if (d.kind === 'Service') {
    if (ds.clusterIP !== undefined && (ds.clusterIP === 'None') !== (ls.clusterIP === 'None'))
      r.reasons.push(`spec.clusterIP: ${show(ls.clusterIP)} → ${show(ds.clusterIP)}`);
    else if (ds.clusterIP !== undefined && ds.clusterIP !== '' && ds.clusterIP !== ls.clusterIP)
      r.reasons.push(`spec.clusterIP: ${show(ls.clusterIP)} → ${show(ds.clusterIP)}`);
    const dExt = ds.type === 'ExternalName';
    const lExt = ls.type === 'ExternalName';
    if (ds.type !== undefined && dExt !== lExt) r.reasons.push(`spec.type: ${show(ls.type)} → ${show(ds.type)}`);
  }
  return r.reasons.length ? r : undefined;
}

/**
 * Replacements needed to go from `live` to `desired` (pure). `classes`
 * tells which storage classes can expand claims in place.
 */
export function planReplacements(desired: KObject[], live: Map<string, KObject | undefined>, classes: StorageClassInfo[]): Replacement[] {
  const out: Replacement[] = [];
  for (const d of desired) {
    const l = live.get(keyOf(refOf(d)));
    if (!l || l.metadata.deletionTimestamp) continue;
    const r = d.kind === 'StatefulSet' ? planStatefulSet(d, l, classes) : d.kind === 'PersistentVolumeClaim' ? planClaim(d, l, classes) : planOther(d, l);
    if (r) out.push(r);
  }
  return out;
}

/** Human lines for one replacement: what, why, how, and what is lost. */
export function describeReplacement(r: Replacement): string[] {
  const how =
    r.strategy === 'orphan-recreate'
      ? 're-created with propagationPolicy Orphan: its pods and claims are kept and adopted by the new one'
      : r.deleteClaims
        ? 're-created together with its claims'
        : 'deleted and created again (its pods restart)';
  const lines = [`${r.name} must be replaced: ${how}`, ...r.reasons.map((x) => `    because ${x}`)];
  for (const e of r.expand)
    if (e.expandable) lines.push(`    claims of template "${e.template}" are expanded in place ${e.from} → ${e.to} (StorageClass ${e.storageClass} allows it)`);
  for (const n of r.notes) lines.push(`    note: ${n}`);
  for (const x of r.dataLoss) lines.push(`    DATA LOSS: ${x}`);
  return lines;
}
