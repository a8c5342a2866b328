import { ContextOptions, resolveContext } from '../cluster/context';
import { KubeClient } from './kube';

/** Resolve the kubeconfig context and check the API server answers (fails fast with a clear message). */
export async function connect(opts: ContextOptions = {}): Promise<KubeClient> {
  const client = await KubeClient.fromContext(resolveContext(opts));
  try {
    await client.checkReachable();
  } catch (e) {
    client.close();
    throw e;
  }
  return client;
}

/** Namespace for objects without one: --namespace, else the context's, else "default". */
export function targetNamespace(client: KubeClient, explicit?: string): string {
  return explicit || client.context.namespace || 'default';
}
