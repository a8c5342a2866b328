import type { KubeConfig, V1PersistentVolume, V1PersistentVolumeClaim } from '@kubernetes/client-node';
import { KubeApiError, KubeClient } from '../kube/client';
import type { ObjectRef } from '../kube/types';

/**
 * Verify talks to the cluster through the same client as deploy; the
 * client-node KubeConfig is only for port-forwarding (its websocket
 * PortForward).
 */
export interface Kube {
  client: KubeClient;
  kc: KubeConfig;
  /** kubeconfig context name, for messages and the report. */
  context: string;
}

export function podRef(namespace: string, name: string): ObjectRef {
  return { apiVersion: 'v1', kind: 'Pod', namespace, name };
}

/** Read an object that must exist; the error names it and the context. */
export async function mustGet<T>(kube: Kube, ref: ObjectRef): Promise<T> {
  const obj = await kube.client.get<T>(ref);
  if (!obj) throw new Error(`${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name} not found on context ${kube.context}`);
  return obj;
}

/** The PersistentVolume a claim is bound to; undefined while it is unbound or when either is gone. */
export async function claimVolume(client: KubeClient, namespace: string, claim: string): Promise<V1PersistentVolume | undefined> {
  const pvc = await client.get<V1PersistentVolumeClaim>({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace, name: claim });
  const pvName = pvc?.spec?.volumeName;
  return pvName ? client.get<V1PersistentVolume>({ apiVersion: 'v1', kind: 'PersistentVolume', name: pvName }) : undefined;
}

/** One line for a report: the API server's own message with its status, else the error's message. */
export function errorMessage(e: unknown): string {
  if (e instanceof KubeApiError) return e.status ? `API error ${e.status}: ${e.message}` : e.message;
  return e instanceof Error ? e.message : String(e);
}
