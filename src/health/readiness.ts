/**
 * Readiness rules per group/kind (pure functions of object status), in the
 * spirit of `kubectl rollout status`, plus one generic rule for custom
 * resources (the conventions kstatus reads). Used while waiting (fed by
 * watches) and by `berth status`.
 */
import { groupOf, KObject } from '../kube/types';
import { customResourceHealth, isCustomResource } from './custom';
import { failed, Health, progressing, ready } from './health';

export type { Health, HealthState } from './health';

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
  // After a scale-down the controller may report the new generation before the ReplicaSet's status caught up.
  if (total > want) return progressing(`${total - want} replica(s) above ${want} pending termination`);
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
  // "" opts out of classes: only a matching PersistentVolume made by hand binds it, never a provisioner.
  if (className === '') return progressing(`Pending (${phase ?? 'no phase yet'}): storageClassName "" binds only to a pre-created PersistentVolume`);
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

/** "group/Kind", or just "Kind" for the core group (a kind name alone is ambiguous across groups). */
export function groupKindOf(obj: Pick<KObject, 'apiVersion' | 'kind'>): string {
  const group = groupOf(obj.apiVersion);
  return group ? `${group}/${obj.kind}` : obj.kind;
}

export const DEPLOYMENT = 'apps/Deployment';
export const STATEFUL_SET = 'apps/StatefulSet';
export const DAEMON_SET = 'apps/DaemonSet';
export const SERVICE = 'Service';
export const PVC = 'PersistentVolumeClaim';
export const INGRESS = 'networking.k8s.io/Ingress';

const RULES: ReadonlyMap<string, (obj: KObject, ctx: HealthContext) => Health> = new Map([
  [DEPLOYMENT, (o, ctx) => deploymentHealth(o, ctx.minGeneration)],
  [STATEFUL_SET, (o, ctx) => statefulSetHealth(o, ctx.minGeneration)],
  [DAEMON_SET, (o, ctx) => daemonSetHealth(o, ctx.minGeneration)],
  [PVC, (o, ctx) => pvcHealth(o, ctx.pvc)],
  [SERVICE, (o, ctx) => serviceHealth(o, ctx.slices ?? [])],
  [INGRESS, (o, ctx) => ingressHealth(o, ctx.ingress)],
]);

/** Workloads: controllers that run pods from a template. */
export function isWorkload(obj: KObject): boolean {
  const gk = groupKindOf(obj);
  return gk === DEPLOYMENT || gk === STATEFUL_SET || gk === DAEMON_SET;
}

/** Whether deploy waits for the object: it has a rule that can say "not yet" (everything else is ready once applied). */
export function isAwaited(obj: KObject): boolean {
  return RULES.has(groupKindOf(obj)) || isCustomResource(obj);
}

export function healthOf(obj: KObject, ctx: HealthContext = {}): Health {
  const rule = RULES.get(groupKindOf(obj));
  if (rule) return rule(obj, ctx);
  if (isCustomResource(obj)) return customResourceHealth(obj, ctx.minGeneration);
  return ready('applied');
}
