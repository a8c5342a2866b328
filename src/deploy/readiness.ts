/**
 * Per-kind readiness rules (pure functions of object status), in the spirit
 * of `kubectl rollout status`. Used while waiting (fed by watches) and by
 * `berth status`.
 */
import type { KObject } from './types';

export type HealthState = 'ready' | 'progressing' | 'failed';
export interface Health {
  state: HealthState;
  message: string;
}

const ready = (message: string): Health => ({ state: 'ready', message });
const progressing = (message: string): Health => ({ state: 'progressing', message });
const failed = (message: string): Health => ({ state: 'failed', message });

/** Kinds whose readiness we wait for; everything else is ready once applied. */
export const WAITED_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'PersistentVolumeClaim', 'Service', 'Ingress']);

/** The controller has not yet seen the spec we applied. */
function generationPending(obj: KObject, minGeneration = 0): Health | undefined {
  const gen = obj.metadata.generation ?? 0;
  if (gen < minGeneration) return progressing('waiting for the applied spec to be visible');
  const observed = obj.status?.observedGeneration ?? 0;
  if (observed < gen) return progressing('waiting for the controller to observe the new spec');
  return undefined;
}

export function deploymentHealth(d: KObject, minGeneration = 0): Health {
  const pending = generationPending(d, minGeneration);
  if (pending) return pending;
  const st = d.status ?? {};
  const cond = (st.conditions ?? []).find((c: any) => c.type === 'Progressing');
  if (cond?.reason === 'ProgressDeadlineExceeded') return failed(`rollout exceeded its progress deadline: ${cond.message ?? ''}`.trim());
  const want: number = d.spec?.replicas ?? 1;
  const updated: number = st.updatedReplicas ?? 0;
  const total: number = st.replicas ?? 0;
  const available: number = st.availableReplicas ?? 0;
  if (updated < want) return progressing(`${updated}/${want} replicas updated`);
  if (total > updated) return progressing(`${total - updated} old replica(s) pending termination`);
  if (available < updated) return progressing(`${available}/${want} replicas available`);
  return ready(`${available}/${want} available`);
}

export function statefulSetHealth(s: KObject, minGeneration = 0): Health {
  const pending = generationPending(s, minGeneration);
  if (pending) return pending;
  const st = s.status ?? {};
  const want: number = s.spec?.replicas ?? 1;
  const readyN: number = st.readyReplicas ?? 0;
  const strategy = s.spec?.updateStrategy?.type ?? 'RollingUpdate';
  if (strategy === 'RollingUpdate') {
    const partition: number = s.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
    const updated: number = st.updatedReplicas ?? 0;
    if (partition > 0) {
      if (updated < want - partition) return progressing(`${updated}/${want - partition} replicas updated (partition ${partition})`);
    } else if (st.updateRevision && st.currentRevision !== st.updateRevision) {
      return progressing(`rolling update: ${updated}/${want} replicas at revision ${st.updateRevision}`);
    }
  }
  if (readyN < want) return progressing(`${readyN}/${want} replicas ready`);
  if (want > 0 && !st.updateRevision) return progressing('waiting for the controller to report a revision');
  return ready(`${readyN}/${want} ready`);
}

function daemonSetHealth(d: KObject, minGeneration = 0): Health {
  const pending = generationPending(d, minGeneration);
  if (pending) return pending;
  const st = d.status ?? {};
  const want: number = st.desiredNumberScheduled ?? 0;
  if ((st.updatedNumberScheduled ?? 0) < want) return progressing(`${st.updatedNumberScheduled ?? 0}/${want} pods updated`);
  if ((st.numberAvailable ?? 0) < want) return progressing(`${st.numberAvailable ?? 0}/${want} pods available`);
  return ready(`${st.numberAvailable ?? 0}/${want} available`);
}

export interface PvcContext {
  /** The StorageClass named by the claim (or the default one); null when it does not exist. */
  storageClass?: KObject | null;
}

export function pvcHealth(pvc: KObject, ctx: PvcContext = {}): Health {
  const phase = pvc.status?.phase;
  if (phase === 'Bound') return ready('Bound');
  if (phase === 'Lost') return failed('claim lost its volume (phase Lost)');
  const className = pvc.spec?.storageClassName;
  if (ctx.storageClass === null) {
    return failed(
      className
        ? `StorageClass "${className}" does not exist, so the claim can never bind`
        : 'no storageClassName and the cluster has no default StorageClass, so the claim can never bind',
    );
  }
  if (ctx.storageClass?.volumeBindingMode === 'WaitForFirstConsumer') {
    // Binding happens only once a pod uses the claim; the pod's readiness covers it.
    return ready(`Pending until first use (StorageClass ${ctx.storageClass.metadata.name} binds on first consumer)`);
  }
  return progressing(`Pending (${phase ?? 'no phase yet'})`);
}

/** Ready endpoints of a Service from its EndpointSlices. */
function readyEndpoints(slices: KObject[]): number {
  let n = 0;
  for (const s of slices) for (const e of (s as any).endpoints ?? []) if (e.conditions?.ready !== false) n++;
  return n;
}

export function serviceHealth(svc: KObject, slices: KObject[]): Health {
  const type = svc.spec?.type ?? 'ClusterIP';
  if (type === 'ExternalName') return ready(`ExternalName ${svc.spec?.externalName ?? ''}`.trim());
  if (!svc.spec?.selector || Object.keys(svc.spec.selector).length === 0) return ready('no selector (endpoints managed outside)');
  const n = readyEndpoints(slices);
  if (n === 0) return progressing('no ready endpoints yet');
  if (type === 'LoadBalancer' && !(svc.status?.loadBalancer?.ingress ?? []).length) {
    return progressing(`${n} endpoint(s); waiting for a load balancer address`);
  }
  return ready(`${n} endpoint(s)`);
}

export interface IngressContext {
  /** Result of an HTTP probe through the ingress controller, when one was made. */
  routed?: { ok: boolean; detail: string };
}

/**
 * Ingress: routed when the controller published an address in
 * status.loadBalancer, or — for controllers that do not publish one — when a
 * request with the Host header through the controller did not get the
 * controller's own 404 (the route exists; backend health is the Service's).
 */
export function ingressHealth(ing: KObject, ctx: IngressContext = {}): Health {
  const lb = (ing.status?.loadBalancer?.ingress ?? []) as { ip?: string; hostname?: string }[];
  if (lb.length > 0) return ready(`address ${lb.map((x) => x.ip ?? x.hostname).join(', ')}`);
  if (ctx.routed?.ok) return ready(`routed (${ctx.routed.detail})`);
  if (ctx.routed) return progressing(`not routed yet (${ctx.routed.detail})`);
  return progressing('waiting for the ingress controller to publish an address');
}

export interface HealthContext {
  minGeneration?: number;
  slices?: KObject[];
  pvc?: PvcContext;
  ingress?: IngressContext;
}

export function healthOf(obj: KObject, ctx: HealthContext = {}): Health {
  switch (obj.kind) {
    case 'Deployment':
      return deploymentHealth(obj, ctx.minGeneration);
    case 'StatefulSet':
      return statefulSetHealth(obj, ctx.minGeneration);
    case 'DaemonSet':
      return daemonSetHealth(obj, ctx.minGeneration);
    case 'PersistentVolumeClaim':
      return pvcHealth(obj, ctx.pvc);
    case 'Service':
      return serviceHealth(obj, ctx.slices ?? []);
    case 'Ingress':
      return ingressHealth(obj, ctx.ingress);
    default:
      return ready('applied');
  }
}
