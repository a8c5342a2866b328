/** The thin I/O shell of `berth diagram --live`: read the objects live.ts needs, nothing else. */
import { APP_LABEL } from '../contract';
import type { ContextOptions } from '../kube/context';
import { targetNamespace, withClient } from '../kube/connect';
import { KubeClient } from '../kube/client';
import type { KObject } from '../kube/types';
import type { LiveState } from './live';

export interface FetchLiveOptions extends ContextOptions {
  app?: string;
  namespace?: string;
  /** The app's dist/ objects: their app label and Service names scope what is read. */
  objects: KObject[];
  client?: KubeClient;
}

export async function fetchLive(opts: FetchLiveOptions): Promise<LiveState> {
  return withClient(opts, async (client) => {
    const namespace = targetNamespace(client, opts.namespace);
    const app = opts.objects.find((o) => o.metadata.labels?.[APP_LABEL])?.metadata.labels?.[APP_LABEL] ?? opts.app;
    const labelSelector = app ? `${APP_LABEL}=${app}` : undefined;
    const services = new Set(opts.objects.filter((o) => o.kind === 'Service').map((o) => o.metadata.name));
    const [pods, pvcs, slices] = await Promise.all([
      client.list('v1', 'Pod', { namespace, labelSelector }),
      client.list('v1', 'PersistentVolumeClaim', { namespace, labelSelector }),
      // Slices carry the Service's name, not necessarily its labels.
      client.list('discovery.k8s.io/v1', 'EndpointSlice', { namespace }),
    ]);
    const endpointSlices = slices.filter((s) => services.has(s.metadata.labels?.['kubernetes.io/service-name'] ?? ''));
    const pvs = (
      await Promise.all(pvcs.filter((p) => p.spec?.volumeName).map((p) => client.get({ apiVersion: 'v1', kind: 'PersistentVolume', name: p.spec.volumeName })))
    ).filter((p): p is KObject => !!p);
    return { context: client.context.contextName, namespace, at: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), pods, endpointSlices, pvcs, pvs };
  });
}
