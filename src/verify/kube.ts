import * as k8s from '@kubernetes/client-node';

/** The API clients verify needs, made once per run from one KubeConfig. */
export interface Kube {
  kc: k8s.KubeConfig;
  context: string;
  core: k8s.CoreV1Api;
  apps: k8s.AppsV1Api;
}

export function makeKube(kc: k8s.KubeConfig): Kube {
  return {
    kc,
    context: kc.getCurrentContext(),
    core: kc.makeApiClient(k8s.CoreV1Api),
    apps: kc.makeApiClient(k8s.AppsV1Api),
  };
}

/** HTTP status of a client-node error (404, 409 ...), if it came from the API server. */
function apiStatus(err: unknown): number | undefined {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'number' ? code : undefined;
}

export async function ignoreNotFound<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (e) {
    if (apiStatus(e) === 404) return undefined;
    throw e;
  }
}

/**
 * One line for a report: the API server's own message for API errors
 * (client-node's ApiException text dumps headers and body), else the message.
 */
export function errorMessage(e: unknown): string {
  const code = apiStatus(e);
  if (code !== undefined) {
    const body = (e as { body?: unknown }).body;
    let msg: string | undefined;
    try {
      const parsed = typeof body === 'string' ? JSON.parse(body) : body;
      msg = (parsed as { message?: string })?.message;
    } catch {
      msg = typeof body === 'string' ? body.slice(0, 200) : undefined;
    }
    return `API error ${code}: ${msg ?? 'no message'}`;
  }
  return e instanceof Error ? e.message : String(e);
}
