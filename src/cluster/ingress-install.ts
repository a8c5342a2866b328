/**
 * Installs the chosen ingress controller on a freshly created cluster and
 * waits until it serves (I/O shell around kind-ingress.ts): server-side apply
 * with berth's field manager, then the same watch-based readiness as deploy.
 */
import { applyObjects } from '../deploy/apply';
import { waitForReady } from '../deploy/wait';
import { connect } from '../kube/connect';
import type { ContextOptions } from '../kube/context';
import type { KObject } from '../kube/types';
import { INGRESS_SELECTORS, KindIngress, manifestObjects, traefikObjects } from './kind-ingress';

export interface InstallIngressOptions {
  cluster: ContextOptions;
  timeoutMs?: number;
  log?: (msg: string) => void;
}

/** What a controller needs on the cluster, without the cluster: callers fetch it before creating one. */
export interface IngressPlan {
  controller: 'nginx' | 'traefik';
  objects: KObject[];
}

async function download(url: string): Promise<string> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  } catch (e) {
    throw new Error(
      `could not download the ingress controller manifest ${url}: ${(e as Error).message}. ` +
        'Offline? Use --ingress traefik --ingress-image <a Traefik image in your Docker engine>, or --ingress none',
      { cause: e },
    );
  }
  if (!res.ok) throw new Error(`downloading ${url} answered HTTP ${res.status}`);
  return res.text();
}

/**
 * The controller's objects: the pinned manifest downloaded (nginx) or berth's own (traefik); undefined for
 * none. Done before the cluster exists, so a machine without internet fails before anything is created.
 */
export async function planIngress(ingress: KindIngress, fetchText: (url: string) => Promise<string> = download): Promise<IngressPlan | undefined> {
  if (ingress.controller === 'none') return undefined;
  if (ingress.controller === 'traefik') return { controller: 'traefik', objects: traefikObjects(ingress.image) };
  return { controller: 'nginx', objects: manifestObjects(await fetchText(ingress.manifestUrl), ingress.manifestUrl) };
}

export async function installIngress(plan: IngressPlan, o: InstallIngressOptions): Promise<void> {
  const log = o.log ?? (() => undefined);
  const client = await connect(o.cluster);
  try {
    const applied = await applyObjects(client, plan.objects);
    log(`applied ${applied.length} objects of the ${plan.controller} ingress controller; waiting for it to be ready`);
    await waitForReady(
      client,
      applied.map((a) => a.result),
      { timeoutMs: o.timeoutMs ?? 180_000, labelSelector: INGRESS_SELECTORS[plan.controller] },
    );
  } finally {
    client.close();
  }
}
