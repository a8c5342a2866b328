/**
 * dist/ objects → Diagram. Pure: reads the objects berth synthesizes and the
 * contract annotations on them; anything it does not know it leaves out.
 */
import { GENERATE_KEYS_ANNOTATION, MONGO_ANNOTATION, NAME_LABEL, parseGenerateKeys } from '../contract';
import type { KObject } from '../kube/types';
import { redactUrl } from '../verify/mongourl';
import type { Diagram, DiagramEdge, DiagramNode, EdgeLabel, PodGroup } from './types';

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet'];
/** Marks the Service berth makes for an ExternalMongoDatabase (constructs/external-mongo.ts). */
const EXTERNAL_MONGO_NAME = 'external-mongodb';
const MONGO_URL = /^mongodb(\+srv)?:\/\//;

export const nodeId = (kind: string, name: string): string => `${kind.toLowerCase()}:${name}`;
export const podGroupId = (workload: string, host?: string): string => `pods:${workload}${host ? `@${host}` : ''}`;

/** Collects nodes and edges once each, in first-seen order (so output is stable). */
class Builder {
  readonly nodes = new Map<string, DiagramNode>();
  readonly podGroups: PodGroup[] = [];
  readonly edges: DiagramEdge[] = [];
  private readonly edgeKeys = new Set<string>();

  node(n: DiagramNode): string {
    if (!this.nodes.has(n.id)) this.nodes.set(n.id, n);
    return n.id;
  }

  edge(from: string, to: string, label: EdgeLabel, detail?: string): void {
    const key = `${from}|${to}|${label}`;
    if (this.edgeKeys.has(key)) return;
    this.edgeKeys.add(key);
    this.edges.push(detail ? { from, to, label, detail } : { from, to, label });
  }
}

/** The picture of one app from its dist/ objects. */
export function buildDiagram(app: string, objects: KObject[]): Diagram {
  const b = new Builder();
  const byKind = (kind: string) => objects.filter((o) => o.kind === kind);
  const services = byKind('Service');
  const workloads = objects.filter((o) => WORKLOAD_KINDS.includes(o.kind));
  const configMaps = byKind('ConfigMap');
  const secrets = new Map(byKind('Secret').map((s) => [s.metadata.name, s]));

  const exposed = services.filter((s) => s.spec?.type === 'NodePort' || s.spec?.type === 'LoadBalancer');
  const ingresses = byKind('Ingress');
  const user = ingresses.length + exposed.length > 0 ? b.node({ id: 'user', kind: 'user', title: 'User (browser)', details: [], outside: true }) : undefined;

  for (const ing of ingresses) {
    const id = b.node({ id: nodeId('Ingress', ing.metadata.name), kind: 'ingress', title: `Ingress ${ing.metadata.name}`, details: ingressDetails(ing) });
    for (const rule of ing.spec?.rules ?? []) {
      for (const p of rule.http?.paths ?? []) {
        b.edge(user!, id, 'request', `http://${rule.host ?? '*'}${p.path ?? '/'}`);
        const svc = p.backend?.service;
        if (svc?.name) b.edge(id, serviceNode(b, svc.name, services), 'backend', svc.port?.number ? `port ${svc.port.number}` : svc.port?.name);
      }
    }
  }
  for (const s of services) serviceNode(b, s.metadata.name, services);
  for (const s of exposed) b.edge(user!, nodeId('Service', s.metadata.name), 'request', exposureText(s));

  for (const w of workloads) addWorkload(b, w, services, configMaps, secrets);
  for (const cm of configMaps) configMapNode(b, cm, services);
  for (const s of services) {
    if (s.spec?.type !== 'ExternalName') continue;
    const mongo = s.metadata.labels?.[NAME_LABEL] === EXTERNAL_MONGO_NAME;
    const port = s.spec.ports?.[0]?.port;
    const ext = b.node({
      id: nodeId('External', s.spec.externalName),
      kind: 'external-db',
      title: mongo ? 'ExternalMongoDatabase' : 'External host',
      details: [`${s.spec.externalName}${port ? `:${port}` : ''}`, 'outside the cluster'],
      outside: true,
    });
    b.edge(nodeId('Service', s.metadata.name), ext, 'externalName');
  }
  // Referenced-but-absent Secrets were added by addWorkload; the rest of dist/'s Secrets here.
  for (const s of secrets.values()) secretNode(b, s.metadata.name, s, []);

  return { app, nodes: [...b.nodes.values()], podGroups: b.podGroups, edges: b.edges, notes: [] };
}

function ingressDetails(ing: KObject): string[] {
  const lines: string[] = [];
  if (ing.spec?.ingressClassName) lines.push(`class ${ing.spec.ingressClassName}`);
  for (const rule of ing.spec?.rules ?? []) {
    for (const p of rule.http?.paths ?? []) lines.push(`${rule.host ?? '*'}${p.path ?? '/'}`);
  }
  if (ing.spec?.tls?.length) lines.push('TLS');
  return lines;
}

function exposureText(s: KObject): string {
  const ports = (s.spec?.ports ?? []) as { port: number; nodePort?: number }[];
  if (s.spec.type === 'NodePort') return `NodePort ${ports.map((p) => p.nodePort ?? 'auto').join(', ')}`;
  return `LoadBalancer :${ports.map((p) => p.port).join(', ')}`;
}

function serviceNode(b: Builder, name: string, services: KObject[]): string {
  const id = nodeId('Service', name);
  const s = services.find((x) => x.metadata.name === name);
  if (!s) return b.node({ id, kind: 'service', title: `Service ${name}`, details: ['not in dist/'] });
  const ports = ((s.spec?.ports ?? []) as { port: number; targetPort?: number | string; nodePort?: number }[])
    .map((p) => `:${p.port}${p.targetPort !== undefined && p.targetPort !== p.port ? ` → ${p.targetPort}` : ''}${p.nodePort ? ` (node ${p.nodePort})` : ''}`)
    .join(', ');
  const type = s.spec?.clusterIP === 'None' ? 'headless' : (s.spec?.type ?? 'ClusterIP');
  return b.node({ id, kind: 'service', title: `Service ${name}`, details: [`${type} ${ports}`.trim()] });
}

function selects(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  const entries = Object.entries(selector ?? {});
  return entries.length > 0 && entries.every(([k, v]) => labels?.[k] === v);
}

interface Container {
  image?: string;
  env?: { name: string; valueFrom?: { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string; key: string } } }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
}

function addWorkload(b: Builder, w: KObject, services: KObject[], configMaps: KObject[], secrets: Map<string, KObject>): void {
  const name = w.metadata.name;
  const replicas: number = w.spec?.replicas ?? 1;
  const pod = w.spec?.template?.spec ?? {};
  const containers: Container[] = [...(pod.initContainers ?? []), ...(pod.containers ?? [])];
  const engine = w.metadata.annotations?.[MONGO_ANNOTATION.engine];
  const id = b.node({
    id: nodeId(w.kind, name),
    kind: w.kind === 'StatefulSet' ? 'statefulset' : 'deployment',
    title: `${w.kind} ${name}`,
    details: [`replicas: ${replicas}`, ...(engine ? [`engine: ${engine}`] : [])],
  });
  const group = podGroupId(name);
  const image = (pod.containers ?? [])[0]?.image as string | undefined;
  const pods = Array.from({ length: replicas }, (_, i): DiagramNode => ({
    id: `pod:${name}:${i}`,
    kind: 'pod',
    title: w.kind === 'StatefulSet' ? `Pod ${name}-${i}` : `Pod ${i + 1} of ${replicas}`,
    details: image ? [image] : [],
  }));
  b.podGroups.push({ id: group, title: `pods of ${name}`, workload: id, pods });
  b.edge(id, group, 'manages');
  for (const s of services) {
    if (selects(s.spec?.selector, w.spec?.template?.metadata?.labels)) b.edge(nodeId('Service', s.metadata.name), group, 'selector');
  }

  // What the pods read, grouped per source so each source gets one edge listing its keys.
  const secretKeys = new Map<string, Set<string>>();
  const cmKeys = new Map<string, Set<string>>();
  const add = (m: Map<string, Set<string>>, n: string, k: string) => m.set(n, (m.get(n) ?? new Set()).add(k));
  for (const c of containers) {
    for (const e of c.env ?? []) {
      const s = e.valueFrom?.secretKeyRef;
      if (s) add(secretKeys, s.name, s.key);
      const cm = e.valueFrom?.configMapKeyRef;
      if (cm) add(cmKeys, cm.name, cm.key);
    }
    for (const f of c.envFrom ?? []) {
      if (f.configMapRef?.name)
        b.edge(group, configMapNode(b, configMaps.find((x) => x.metadata.name === f.configMapRef!.name) ?? f.configMapRef.name, services), 'envFrom');
      if (f.secretRef?.name) b.edge(group, secretNode(b, f.secretRef.name, secrets.get(f.secretRef.name), []), 'envFrom');
    }
  }
  for (const [n, keys] of cmKeys) {
    b.edge(group, configMapNode(b, configMaps.find((x) => x.metadata.name === n) ?? n, services), 'configMapKeyRef', [...keys].join(', '));
  }
  for (const [n, keys] of secretKeys) b.edge(group, secretNode(b, n, secrets.get(n), [...keys]), 'secretKeyRef', [...keys].join(', '));

  for (const v of (pod.volumes ?? []) as {
    name: string;
    persistentVolumeClaim?: { claimName: string };
    emptyDir?: object;
    configMap?: { name: string };
    secret?: { secretName: string };
  }[]) {
    if (v.persistentVolumeClaim) {
      b.edge(
        group,
        b.node({
          id: nodeId('PVC', v.persistentVolumeClaim.claimName),
          kind: 'pvc',
          title: `PVC ${v.persistentVolumeClaim.claimName}`,
          details: ['not in dist/'],
        }),
        'volume',
        v.name,
      );
    } else if (v.emptyDir) {
      const vid = b.node({ id: `volume:${name}:${v.name}`, kind: 'volume', title: `emptyDir ${v.name}`, details: ['lost when the pod is re-created'] });
      b.edge(group, vid, 'volume', v.name);
    } else if (v.configMap) {
      b.edge(group, configMapNode(b, configMaps.find((x) => x.metadata.name === v.configMap!.name) ?? v.configMap.name, services), 'volume', v.name);
    } else if (v.secret) {
      b.edge(group, secretNode(b, v.secret.secretName, secrets.get(v.secret.secretName), []), 'volume', v.name);
    }
  }
  // StatefulSet claims: one PVC per ordinal, named <template>-<statefulset>-<ordinal>.
  for (const t of (w.spec?.volumeClaimTemplates ?? []) as {
    metadata: { name: string };
    spec?: { storageClassName?: string; resources?: { requests?: { storage?: string } } };
  }[]) {
    pods.forEach((p, i) => {
      const claim = `${t.metadata.name}-${name}-${i}`;
      const size = t.spec?.resources?.requests?.storage;
      const pvc = b.node({
        id: nodeId('PVC', claim),
        kind: 'pvc',
        title: `PVC ${claim}`,
        details: [[size, t.spec?.storageClassName ? `class ${t.spec.storageClassName}` : 'default class'].filter(Boolean).join(', ')],
      });
      b.edge(p.id, pvc, 'volume', t.metadata.name);
    });
  }
}

function configMapNode(b: Builder, cm: KObject | string, services: KObject[]): string {
  if (typeof cm === 'string') return b.node({ id: nodeId('ConfigMap', cm), kind: 'configmap', title: `ConfigMap ${cm}`, details: ['not in dist/'] });
  const id = nodeId('ConfigMap', cm.metadata.name);
  if (b.nodes.has(id)) return id;
  const data = cm.data ?? {};
  const keys = Object.keys(data);
  const urlKeys = keys.filter((k) => MONGO_URL.test(data[k]));
  const others = keys.length - urlKeys.length;
  b.node({
    id,
    kind: 'configmap',
    title: `ConfigMap ${cm.metadata.name}`,
    details: [...urlKeys.map((k) => `${k} = ${redactUrl(data[k])}`), ...(others > 0 ? [`+ ${others} other key${others > 1 ? 's' : ''}`] : [])],
  });
  for (const k of urlKeys) {
    const host = /^mongodb(?:\+srv)?:\/\/(?:[^@/]*@)?([^/?:,]+)/.exec(data[k])?.[1];
    const svc = services.find((s) => host === s.metadata.name || host?.startsWith(`${s.metadata.name}.`));
    if (svc) b.edge(id, nodeId('Service', svc.metadata.name), 'url', k);
  }
  return id;
}

/** Key names only: from data/stringData, the generate-keys annotation and what pods reference. */
function secretNode(b: Builder, name: string, s: KObject | undefined, referenced: string[]): string {
  const id = nodeId('Secret', name);
  if (b.nodes.has(id)) return id;
  if (!s) {
    return b.node({
      id,
      kind: 'secret',
      title: `Secret ${name}`,
      details: [...(referenced.length ? [`keys: ${referenced.join(', ')}`] : []), 'made outside berth (not in dist/)'],
    });
  }
  const generated = parseGenerateKeys(s.metadata.annotations?.[GENERATE_KEYS_ANNOTATION]);
  const stored = [...new Set([...Object.keys(s.data ?? {}), ...Object.keys(s.stringData ?? {})])].filter((k) => !generated.includes(k));
  return b.node({
    id,
    kind: 'secret',
    title: `Secret ${name}`,
    details: [...(stored.length ? [`keys: ${stored.join(', ')}`] : []), ...(generated.length ? [`generated at deploy: ${generated.join(', ')}`] : [])],
  });
}
