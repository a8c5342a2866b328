/**
 * berth status: the app's objects in the cluster and their health, judged
 * by the same rules deploy waits on.
 */
import { storageClassFor } from '../contract';
import { ContextOptions, describeContext } from '../kube/context';
import { targetNamespace, withClient } from '../kube/connect';
import { commandDeadline } from './deploy';
import { appScope, listOwned } from './owned';
import { KubeClient } from '../kube/client';
import { appNames, distObjectsIfAny } from '../dist';
import { CLUSTER_SCOPED_KINDS, sortForApply } from './plan';
import { Health, healthOf } from '../health/readiness';
import { KObject, keyOf, refOf } from '../kube/types';

export interface StatusRow {
  kind: string;
  name: string;
  namespace: string;
  state: Health['state'] | 'missing';
  message: string;
}

export interface StatusOptions extends ContextOptions {
  dist?: string;
  app?: string;
  namespace?: string;
  /** Bound on the whole command, e.g. "1m" (default 5 minutes). */
  timeout?: string | number;
  client?: KubeClient;
}

export interface AppStatus {
  app: string;
  context: string;
  rows: StatusRow[];
  healthy: boolean;
}

/** Rows for live objects plus dist objects missing from the cluster (pure). */
export function statusRows(live: KObject[], slices: KObject[], classes: KObject[], desired: KObject[]): StatusRow[] {
  const rows: StatusRow[] = [];
  const liveKeys = new Set(live.map((o) => keyOf(refOf(o))));
  for (const o of sortForApply(live)) {
    const svcSlices = slices.filter(
      (s) => s.metadata.namespace === o.metadata.namespace && s.metadata.labels?.['kubernetes.io/service-name'] === o.metadata.name,
    );
    const cls = storageClassFor(classes, o.spec?.storageClassName);
    const h = healthOf(o, { slices: svcSlices, pvc: { storageClass: cls ?? null } });
    rows.push({ kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace ?? '', state: h.state, message: h.message });
  }
  for (const d of desired) {
    if (!liveKeys.has(keyOf(refOf(d)))) {
      rows.push({
        kind: d.kind,
        name: d.metadata.name,
        namespace: d.metadata.namespace ?? '',
        state: 'missing',
        message: 'in dist, not in the cluster (run berth deploy)',
      });
    }
  }
  return rows;
}

export function formatStatus(s: AppStatus): string {
  const header = { kind: 'KIND', name: 'NAME', namespace: 'NAMESPACE', state: 'STATUS', message: 'DETAIL' };
  const all = [
    header,
    ...s.rows.map((r) => ({
      ...r,
      state: r.state === 'ready' ? 'Ready' : r.state === 'progressing' ? 'NotReady' : r.state === 'failed' ? 'Failed' : 'Missing',
    })),
  ];
  const w = (k: keyof typeof header): number => Math.max(...all.map((r) => String(r[k]).length));
  const lines = all.map((r) =>
    [
      String(r.kind).padEnd(w('kind')),
      String(r.namespace).padEnd(w('namespace')),
      String(r.name).padEnd(w('name')),
      String(r.state).padEnd(w('state')),
      r.message,
    ].join('  '),
  );
  const verdict = s.rows.length === 0 ? 'not deployed' : s.healthy ? 'healthy' : 'NOT healthy';
  return `app ${s.app} in ${s.context}: ${verdict}\n${lines.join('\n')}`;
}

export async function status(opts: StatusOptions = {}): Promise<AppStatus[]> {
  const bound = commandDeadline('status', opts.timeout);
  const distDir = opts.dist ?? 'dist';
  const apps = appNames(distDir, opts.app, `no app: pass --app <name> or synthesize into ${distDir}/ first`);
  return withClient({ ...opts, deadline: bound }, async (client) => {
    const out: AppStatus[] = [];
    for (const app of apps) {
      const namespace = targetNamespace(client, opts.namespace);
      const desired = distObjectsIfAny(distDir, app).map((o) => ({
        ...o,
        metadata: { ...o.metadata, namespace: CLUSTER_SCOPED_KINDS.has(o.kind) ? undefined : (o.metadata.namespace ?? namespace) },
      }));
      const { inventory, namespaces } = await appScope(client, app, namespace, desired);
      const [live, slices, classes] = await Promise.all([
        listOwned(client, app, namespaces, desired, inventory.kinds),
        Promise.all(namespaces.map((ns) => client.list('discovery.k8s.io/v1', 'EndpointSlice', { namespace: ns }))).then((x) => x.flat()),
        client.list('storage.k8s.io/v1', 'StorageClass'),
      ]);
      const rows = statusRows(live, slices, classes, desired);
      out.push({ app, context: describeContext(client.context), rows, healthy: rows.length > 0 && rows.every((r) => r.state === 'ready') });
    }
    return out;
  });
}
