import type { KubeConfig } from '@kubernetes/client-node';
import { KubeApiError, KubeClient } from '../deploy/kube';
import type { ObjectRef } from '../deploy/types';

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

/** One line for a report: the API server's own message with its status, else the error's message. */
export function errorMessage(e: unknown): string {
  if (e instanceof KubeApiError) return e.status ? `API error ${e.status}: ${e.message}` : e.message;
  return e instanceof Error ? e.message : String(e);
}
