import { ContextOptions, resolveContext } from './context';
import { KubeClient } from './client';

/** End of a whole command: no request outlives it; `flag` names it in the error (e.g. "deploy --timeout 5m"). */
export interface Deadline {
  at: number;
  flag: string;
}

/** Resolve the kubeconfig context and check the API server answers (fails fast with a clear message). */
export async function connect(opts: ContextOptions & { deadline?: Deadline } = {}): Promise<KubeClient> {
  const client = await KubeClient.fromContext(resolveContext(opts));
  if (opts.deadline) client.setDeadline(opts.deadline.at, opts.deadline.flag);
  try {
    await client.checkReachable();
  } catch (e) {
    client.close();
    throw e;
  }
  return client;
}

/** Run `fn` with the caller's client, or with one connected for the call and closed afterwards. */
export async function withClient<T>(opts: ContextOptions & { client?: KubeClient; deadline?: Deadline }, fn: (client: KubeClient) => Promise<T>): Promise<T> {
  const client = opts.client ?? (await connect(opts));
  try {
    return await fn(client);
  } finally {
    if (!opts.client) client.close();
  }
}

/** Namespace for objects without one: --namespace, else the context's, else "default". */
export function targetNamespace(client: KubeClient, explicit?: string): string {
  return explicit || client.context.namespace || 'default';
}
