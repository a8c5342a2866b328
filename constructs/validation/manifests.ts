// Longer than most modules (~340 lines) on purpose: one pass over all of an app's objects with the
// indexes (pod owners by label, objects by name) that every per-kind check below shares.
import { GENERATE_KEYS_ANNOTATION, parseGenerateKeys } from '../../src/contract';
import * as rules from '../rules';

/** A synthesized object plus the construct path(s) that produced it, for error messages. */
export interface ManifestObject {
  readonly doc: any;
  readonly path: string;
  /** Every construct path that produced an object with this kind/namespace/name (more than one = duplicate). */
  readonly allPaths: string[];
}

export interface ManifestContext {
  isExternal(kind: 'Secret' | 'ConfigMap', name: string): boolean;
  /** True when the object's construct already reported prop errors: its own findings would only echo them. */
  isReported?(o: ManifestObject): boolean;
}

interface PodOwner {
  readonly obj: ManifestObject;
  readonly podLabels: Record<string, string>;
  readonly podSpec: any;
}

/**
 * Whole-app checks on the synthesized objects: things a per-object schema
 * cannot see (duplicate names, dangling ConfigMap/Secret references, Services
 * that select nothing or target a port no container opens, selectors that do
 * not match their own pod template, plaintext Secret data).
 */
export function checkManifests(objects: ManifestObject[], ctx: ManifestContext): string[] {
  const errors: string[] = [];
  const err = (o: ManifestObject, msg: string) => {
    if (!ctx.isReported?.(o)) errors.push(`${describe(o)}: ${msg}`);
  };

  // With duplicate names, selectors and references are ambiguous: report only the duplicates.
  checkDuplicates(objects, errors);
  if (errors.length > 0) return errors;
  // Indexes keep the checks linear in the number of objects (1000s of constructs per app).
  const kindIndex = new Map<string, ManifestObject[]>();
  const named = new Map<string, ManifestObject>();
  for (const o of objects) {
    const list = kindIndex.get(o.doc.kind);
    if (list) list.push(o);
    else kindIndex.set(o.doc.kind, [o]);
    named.set(`${o.doc.kind}/${o.doc.metadata?.name}`, o);
  }
  const byKind = (kind: string) => kindIndex.get(kind) ?? [];
  const byName = (kind: string, name: string) => named.get(`${kind}/${name}`);
  const exists = (kind: 'Secret' | 'ConfigMap', name: string) => named.has(`${kind}/${name}`);
  const owners = new PodIndex(objects.map(podOwner).filter((p): p is PodOwner => p !== undefined));

  for (const o of objects) {
    checkMetadata(o, err);
  }

  for (const owner of owners.all) {
    const { obj, podLabels, podSpec } = owner;
    const match = obj.doc.spec?.selector?.matchLabels;
    if (match && obj.doc.kind !== 'Pod' && !isSubset(match, podLabels)) {
      err(obj, `spec.selector.matchLabels ${JSON.stringify(match)} do not match the pod template labels ${JSON.stringify(podLabels)}`);
    }
    checkPodRefs(owner, ctx, (k, n) => byName(k, n), errors);
    for (const c of containersOf(podSpec)) {
      for (const p of c.ports ?? []) {
        const rule = rules.port(p.containerPort);
        if (rule) err(obj, `container ${c.name} containerPort = ${JSON.stringify(p.containerPort)}: ${rule}`);
      }
    }
    if (obj.doc.kind === 'StatefulSet') {
      const svcName = obj.doc.spec?.serviceName;
      const svc = svcName ? byName('Service', svcName) : undefined;
      if (svcName && !svc) err(obj, `spec.serviceName ${JSON.stringify(svcName)} names no Service in this app; add the headless Service`);
      else if (svc && svc.doc.spec?.clusterIP !== 'None') err(obj, `spec.serviceName ${JSON.stringify(svcName)} must be a headless Service (clusterIP: None)`);
    }
  }

  for (const svc of byKind('Service')) checkService(svc, owners, err);
  checkNodePorts(byKind('Service'), err);
  for (const cm of byKind('ConfigMap')) checkConfigMapSize(cm, err);
  for (const pdb of byKind('PodDisruptionBudget')) {
    const sel = pdb.doc.spec?.selector?.matchLabels;
    if (sel && owners.matching(sel).length === 0) {
      err(pdb, `spec.selector ${JSON.stringify(sel)} selects no pods of this app`);
    }
  }
  for (const ing of byKind('Ingress')) checkIngress(ing, byName, ctx, exists, err);
  checkIngressRoutes(byKind('Ingress'), err);
  for (const sec of byKind('Secret')) checkSecret(sec, err);
  return errors;
}

function describe(o: ManifestObject): string {
  return `${o.doc.kind} ${JSON.stringify(o.doc.metadata?.name)} (${o.path})`;
}

function checkDuplicates(objects: ManifestObject[], errors: string[]): void {
  const reported = new Set<string>();
  for (const o of objects) {
    if (o.allPaths.length < 2) continue;
    const key = `${o.doc.kind}/${o.doc.metadata?.namespace ?? ''}/${o.doc.metadata?.name}`;
    if (reported.has(key)) continue;
    reported.add(key);
    errors.push(
      `${o.doc.kind} ${JSON.stringify(o.doc.metadata?.name)} is defined ${o.allPaths.length} times (${o.allPaths.join(', ')}); object names must be unique per kind in an app: rename one construct or set its \`name\` prop`,
    );
  }
}

function checkMetadata(o: ManifestObject, err: (o: ManifestObject, m: string) => void): void {
  const name = o.doc.metadata?.name;
  if (typeof name !== 'string') {
    err(o, 'metadata.name is missing');
    return;
  }
  const rule = o.doc.kind === 'Service' ? rules.dns1035Label(name) : rules.dns1123Subdomain(name);
  if (rule) err(o, `metadata.name = ${JSON.stringify(name)}: ${rule}`);
  for (const [k, v] of Object.entries<any>(o.doc.metadata?.labels ?? {})) {
    const r = labelKeyRule(k) ?? labelValueRule(v);
    if (r) err(o, `label ${JSON.stringify(k)}: ${JSON.stringify(v)}: ${r}`);
  }
}

function labelKeyRule(key: string): string | undefined {
  const parts = key.split('/');
  const name = parts.pop()!;
  if (parts.length > 1 || (parts.length === 1 && rules.dns1123Subdomain(parts[0]))) return 'label key prefix must be a DNS subdomain';
  if (!/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(name))
    return 'label key name must be 1-63 letters, digits, -, _ or ., starting and ending alphanumeric';
  return undefined;
}

function labelValueRule(value: unknown): string | undefined {
  if (typeof value !== 'string' || !/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/.test(value)) {
    return 'label value must be at most 63 letters, digits, -, _ or ., starting and ending alphanumeric';
  }
  return undefined;
}

function podOwner(obj: ManifestObject): PodOwner | undefined {
  const d = obj.doc;
  let template: any;
  switch (d.kind) {
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'Job':
      template = d.spec?.template;
      break;
    case 'CronJob':
      template = d.spec?.jobTemplate?.spec?.template;
      break;
    case 'Pod':
      template = { metadata: d.metadata, spec: d.spec };
      break;
    default:
      return undefined;
  }
  return { obj, podLabels: template?.metadata?.labels ?? {}, podSpec: template?.spec ?? {} };
}

function containersOf(podSpec: any): any[] {
  return [...(podSpec.initContainers ?? []), ...(podSpec.containers ?? [])];
}

/** Pod owners indexed by each label pair, so a selector is matched against few candidates. */
class PodIndex {
  private readonly byLabel = new Map<string, PodOwner[]>();

  constructor(readonly all: PodOwner[]) {
    for (const w of all) {
      for (const [k, v] of Object.entries(w.podLabels)) {
        const key = `${k}=${v}`;
        const list = this.byLabel.get(key);
        if (list) list.push(w);
        else this.byLabel.set(key, [w]);
      }
    }
  }

  matching(selector: Record<string, string>): PodOwner[] {
    const entries = Object.entries(selector);
    if (entries.length === 0) return this.all;
    let best: PodOwner[] | undefined;
    for (const [k, v] of entries) {
      const list = this.byLabel.get(`${k}=${v}`) ?? [];
      if (best === undefined || list.length < best.length) best = list;
    }
    return best!.filter((w) => isSubset(selector, w.podLabels));
  }
}

function isSubset(sel: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(sel).every(([k, v]) => labels[k] === v);
}

/** Keys a ConfigMap or Secret will have in the cluster: its data plus the keys deploy generates. */
function keysOf(doc: any): string[] {
  const generated = parseGenerateKeys(String(doc.metadata?.annotations?.[GENERATE_KEYS_ANNOTATION] ?? ''));
  return [...Object.keys(doc.data ?? {}), ...Object.keys(doc.binaryData ?? {}), ...Object.keys(doc.stringData ?? {}), ...generated];
}

function checkPodRefs(
  owner: PodOwner,
  ctx: ManifestContext,
  lookup: (k: 'Secret' | 'ConfigMap', n: string) => ManifestObject | undefined,
  errors: string[],
): void {
  const refs: { kind: 'Secret' | 'ConfigMap'; name: string; key?: string; where: string; optional: boolean }[] = [];
  const spec = owner.podSpec;
  for (const c of containersOf(spec)) {
    for (const ef of c.envFrom ?? []) {
      if (ef.configMapRef)
        refs.push({ kind: 'ConfigMap', name: ef.configMapRef.name, where: `container ${c.name} envFrom`, optional: !!ef.configMapRef.optional });
      if (ef.secretRef) refs.push({ kind: 'Secret', name: ef.secretRef.name, where: `container ${c.name} envFrom`, optional: !!ef.secretRef.optional });
    }
    for (const e of c.env ?? []) {
      const cm = e.valueFrom?.configMapKeyRef;
      const sk = e.valueFrom?.secretKeyRef;
      if (cm) refs.push({ kind: 'ConfigMap', name: cm.name, key: cm.key, where: `container ${c.name} env ${e.name}`, optional: !!cm.optional });
      if (sk) refs.push({ kind: 'Secret', name: sk.name, key: sk.key, where: `container ${c.name} env ${e.name}`, optional: !!sk.optional });
    }
  }
  for (const v of spec.volumes ?? []) {
    if (v.configMap) refs.push({ kind: 'ConfigMap', name: v.configMap.name, where: `volume ${v.name}`, optional: !!v.configMap.optional });
    if (v.secret) refs.push({ kind: 'Secret', name: v.secret.secretName, where: `volume ${v.name}`, optional: !!v.secret.optional });
  }
  for (const ips of spec.imagePullSecrets ?? []) refs.push({ kind: 'Secret', name: ips.name, where: 'imagePullSecrets', optional: false });
  for (const r of refs) {
    if (r.optional || ctx.isReported?.(owner.obj)) continue;
    const target = lookup(r.kind, r.name);
    if (target && r.key !== undefined && !keysOf(target.doc).includes(r.key)) {
      errors.push(
        `${describe(owner.obj)}: ${r.where} reads key ${JSON.stringify(r.key)} of ${r.kind} ${JSON.stringify(r.name)}, which has only ${
          keysOf(target.doc)
            .map((k) => JSON.stringify(k))
            .join(', ') || 'no keys'
        }`,
      );
      continue;
    }
    if (target || ctx.isExternal(r.kind, r.name)) continue;
    errors.push(
      `${describe(owner.obj)}: ${r.where} references ${r.kind} ${JSON.stringify(r.name)}, which is neither in this app nor declared external (BerthChart externalSecrets/externalConfigMaps or the construct's existingSecret)`,
    );
  }
}

function checkService(svc: ManifestObject, owners: PodIndex, err: (o: ManifestObject, m: string) => void): void {
  const spec = svc.doc.spec ?? {};
  for (const p of spec.ports ?? []) {
    const rule = rules.port(p.port);
    if (rule) err(svc, `port = ${JSON.stringify(p.port)}: ${rule}`);
  }
  if (spec.type === 'ExternalName' || !spec.selector) return;
  const selected = owners.matching(spec.selector);
  if (selected.length === 0) {
    err(svc, `spec.selector ${JSON.stringify(spec.selector)} selects no pods of this app`);
    return;
  }
  for (const p of spec.ports ?? []) {
    const target = p.targetPort ?? p.port;
    const ok = selected.every((w) =>
      containersOf(w.podSpec).some((c) => (c.ports ?? []).some((cp: any) => (typeof target === 'number' ? cp.containerPort === target : cp.name === target))),
    );
    if (!ok) {
      const open = selected.flatMap((w) =>
        containersOf(w.podSpec).flatMap((c) => (c.ports ?? []).map((cp: any) => (cp.name ? `${cp.containerPort}/${cp.name}` : `${cp.containerPort}`))),
      );
      err(
        svc,
        `port ${p.port} targetPort = ${JSON.stringify(target)} matches no container port of the selected pods (they open: ${open.join(', ') || 'none'})`,
      );
    }
  }
}

function checkIngress(
  ing: ManifestObject,
  byName: (kind: string, name: string) => ManifestObject | undefined,
  ctx: ManifestContext,
  exists: (k: 'Secret' | 'ConfigMap', n: string) => boolean,
  err: (o: ManifestObject, m: string) => void,
): void {
  const spec = ing.doc.spec ?? {};
  const backends: any[] = [];
  if (spec.defaultBackend?.service) backends.push(spec.defaultBackend.service);
  for (const rule of spec.rules ?? []) {
    if (rule.host !== undefined) {
      const r = rules.ingressHost(rule.host);
      if (r) err(ing, `host = ${JSON.stringify(rule.host)}: ${r}`);
    }
    for (const p of rule.http?.paths ?? []) {
      const r = rules.ingressPath(p.path ?? '/');
      if (r) err(ing, `path = ${JSON.stringify(p.path)}: ${r}`);
      if (p.backend?.service) backends.push(p.backend.service);
    }
  }
  for (const b of backends) {
    const svc = byName('Service', b.name);
    if (!svc) {
      err(ing, `backend Service ${JSON.stringify(b.name)} is not in this app`);
      continue;
    }
    const ports: any[] = svc.doc.spec?.ports ?? [];
    const ok = ports.some((p) => (b.port?.number !== undefined ? p.port === b.port.number : p.name === b.port?.name));
    if (!ok)
      err(ing, `backend port ${JSON.stringify(b.port)} is not a port of Service ${JSON.stringify(b.name)} (ports: ${ports.map((p) => p.port).join(', ')})`);
  }
  for (const tls of spec.tls ?? []) {
    if (tls.secretName && !exists('Secret', tls.secretName) && !ctx.isExternal('Secret', tls.secretName)) {
      err(ing, `tls secretName ${JSON.stringify(tls.secretName)} is neither in this app nor declared external`);
    }
  }
}

/** Two Ingresses routing the same host and path: the controller picks one, silently. */
function checkIngressRoutes(ingresses: ManifestObject[], err: (o: ManifestObject, m: string) => void): void {
  const seen = new Map<string, ManifestObject>();
  for (const ing of ingresses) {
    for (const rule of ing.doc.spec?.rules ?? []) {
      for (const p of rule.http?.paths ?? []) {
        const route = `${rule.host ?? '*'}${p.path ?? '/'}`;
        const first = seen.get(route);
        if (first && first !== ing) err(ing, `routes ${route}, which ${describe(first)} already routes; use another host or path`);
        else seen.set(route, ing);
      }
    }
  }
}

/** Two Services asking for the same node port: the API server refuses the second ("provided port is already allocated"). */
function checkNodePorts(services: ManifestObject[], err: (o: ManifestObject, m: string) => void): void {
  const seen = new Map<number, ManifestObject>();
  for (const svc of services) {
    for (const p of svc.doc.spec?.ports ?? []) {
      if (p.nodePort === undefined) continue;
      const first = seen.get(p.nodePort);
      if (first && first !== svc) err(svc, `nodePort = ${p.nodePort}: already used by ${describe(first)}; node ports are unique per cluster`);
      else seen.set(p.nodePort, svc);
    }
  }
}

/** The API server refuses a ConfigMap whose data exceeds 1 MiB. */
const CONFIGMAP_MAX_BYTES = 1024 * 1024;

function checkConfigMapSize(cm: ManifestObject, err: (o: ManifestObject, m: string) => void): void {
  let bytes = 0;
  for (const [k, v] of Object.entries<any>(cm.doc.data ?? {})) bytes += Buffer.byteLength(k) + Buffer.byteLength(String(v));
  for (const [k, v] of Object.entries<any>(cm.doc.binaryData ?? {})) bytes += Buffer.byteLength(k) + Math.floor((String(v).length * 3) / 4);
  if (bytes > CONFIGMAP_MAX_BYTES)
    err(cm, `data is ${bytes} bytes: must be at most ${CONFIGMAP_MAX_BYTES} (1 MiB); mount large files from an image or a volume instead`);
}

function checkSecret(sec: ManifestObject, err: (o: ManifestObject, m: string) => void): void {
  if (sec.doc.stringData !== undefined) {
    err(sec, 'stringData would put plaintext values into dist/; let deploy generate them (annotation berth.dev/generate-keys) or reference an existing Secret');
  }
  const generated = parseGenerateKeys(String(sec.doc.metadata?.annotations?.[GENERATE_KEYS_ANNOTATION] ?? ''));
  for (const k of generated) {
    if (sec.doc.data?.[k] !== undefined)
      err(sec, `key ${JSON.stringify(k)} is listed in ${GENERATE_KEYS_ANNOTATION} but also has a value in data; generated keys must not be written to dist/`);
  }
}
