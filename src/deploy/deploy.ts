/**
 * berth deploy: dist/ → server-side apply in dependency order → prune → wait.
 */
import { APP_LABEL, MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../contract';
import { ContextOptions, describeContext } from '../cluster/context';
import { Applied, applyObjects, Change } from './apply';
import { targetNamespace, withClient } from './connect';
import { parseDuration } from './errors';
import { ingressUrlFor, makeIngressProbe } from './ingress-probe';
import { isNotFound, KubeApiError, KubeClient } from './kube';
import { DistApp, readDist } from './manifest';
import { crdScopes, namespacesOf, prepareObjects, sortForDelete } from './plan';
import { KeepReason, kindsToList, planPrune } from './prune';
import { makeReporter, ProgressMode, Reporter } from './progress';
import { ensureFreshDist } from './stale';
import { displayName, KObject, keyOf, refOf } from './types';
import { Grace, needsWait, waitForReady } from './wait';

export interface DeployOptions extends ContextOptions {
  /** dist directory (default "dist"). */
  dist?: string;
  /** Only this app (default: every app in dist). */
  app?: string;
  /** Namespace for objects without one (default: the context's, else "default"). */
  namespace?: string;
  /** Create target namespaces that do not exist (not owned by the app, so never pruned or destroyed). */
  createNamespace?: boolean;
  /** Overall wait timeout, e.g. "5m" or milliseconds (default 5 minutes). */
  timeout?: string | number;
  /** Wait for readiness (default true). */
  wait?: boolean;
  /** Delete owned objects gone from dist (default true). */
  prune?: boolean;
  /** Re-synthesize when app sources are newer than dist (default true). */
  resynth?: boolean;
  progress?: ProgressMode;
  /** Where the ingress controller answers HTTP, for Ingresses without a published address. */
  ingressUrl?: string;
  grace?: Partial<Grace>;
  /** Reuse a connected client (tests, verify); closed by the caller. */
  client?: KubeClient;
  reporter?: Reporter;
}

export interface AppDeployResult {
  app: string;
  namespace: string;
  context: string;
  applied: { name: string; kind: string; change: Change; generated: string[] }[];
  pruned: string[];
  kept: { name: string; reason: KeepReason }[];
  durationMs: number;
}

export const DEFAULT_TIMEOUT_MS = 5 * 60_000;

export function timeoutMs(t: string | number | undefined): number {
  if (t === undefined) return DEFAULT_TIMEOUT_MS;
  return typeof t === 'number' ? t : parseDuration(t);
}

/**
 * Which kinds are namespaced: discovery, or the CRD shipped in the same app.
 * A kind that is neither served nor defined by the app fails, unless
 * `assumeUnknownNamespaced` (diff reports such objects as to be created).
 */
export async function namespacedLookup(
  client: KubeClient,
  objects: KObject[],
  assumeUnknownNamespaced = false,
): Promise<(apiVersion: string, kind: string) => boolean> {
  const crds = crdScopes(objects);
  const known = new Map<string, boolean>();
  await Promise.all(
    [...new Set(objects.map((o) => `${o.apiVersion}|${o.kind}`))].map(async (id) => {
      const [apiVersion, kind] = id.split('|');
      try {
        known.set(id, await client.isNamespaced(apiVersion, kind));
      } catch (e) {
        if (e instanceof KubeApiError && e.status === 404 && crds.has(id)) known.set(id, crds.get(id)!);
        else if (assumeUnknownNamespaced && e instanceof KubeApiError && e.status === 404) known.set(id, true);
        else throw e;
      }
    }),
  );
  return (apiVersion, kind) => known.get(`${apiVersion}|${kind}`) ?? true;
}

/** Live objects carrying the app label, across the kinds berth may have created, in the target namespaces. */
export async function listOwned(client: KubeClient, app: string, namespaces: string[], desired: KObject[] = []): Promise<KObject[]> {
  const selector = `${APP_LABEL}=${app}`;
  const lists = await Promise.all(
    kindsToList(desired).map(async ({ apiVersion, kind }) => {
      let namespaced: boolean;
      try {
        namespaced = await client.isNamespaced(apiVersion, kind);
      } catch (e) {
        if (isNotFound(e)) return [] as KObject[]; // kind not served here: nothing of it to own
        throw e;
      }
      const scopes = namespaced ? namespaces : [undefined];
      const per = await Promise.all(scopes.map((ns) => client.list(apiVersion, kind, { namespace: ns, labelSelector: selector })));
      return per.flat();
    }),
  );
  return lists.flat();
}

function changeLine(a: Applied): string | undefined {
  const gen = a.generated.length ? ` (generated ${a.generated.join(', ')})` : '';
  if (a.change === 'unchanged') return undefined;
  return `${a.change.padEnd(10)} ${a.name}${gen}`;
}

/**
 * Like `helm --create-namespace`: a missing target namespace is created
 * plainly, without the app label, so prune and destroy never delete it (and
 * whatever else lives there). Namespaces the app itself declares are applied
 * as usual.
 */
async function createMissingNamespaces(client: KubeClient, namespaces: string[], desired: KObject[], reporter: Reporter): Promise<void> {
  const declared = new Set(desired.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name));
  for (const ns of namespaces) {
    if (declared.has(ns)) continue;
    const ref = { apiVersion: 'v1', kind: 'Namespace', name: ns };
    if (await client.get(ref)) continue;
    try {
      await client.request('POST', '/api/v1/namespaces', {
        body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE } } },
      });
    } catch (e) {
      if (!(e instanceof KubeApiError && e.status === 409)) throw e; // created meanwhile by someone else: fine
      continue;
    }
    reporter.info(`created namespace ${ns} (--create-namespace; not part of the app, berth destroy keeps it)`);
  }
}

/** Deploy one app's objects (already read from dist). */
export async function deployApp(client: KubeClient, dist: DistApp, opts: DeployOptions, reporter: Reporter): Promise<AppDeployResult> {
  const t0 = Date.now();
  const namespace = targetNamespace(client, opts.namespace);
  const isNamespaced = await namespacedLookup(client, dist.objects);
  const desired = prepareObjects(dist.objects, { app: dist.app, namespace, isNamespaced });
  const namespaces = namespacesOf(desired, namespace);

  if (opts.createNamespace) await createMissingNamespaces(client, namespaces, desired, reporter);

  // One list per kind serves both as the "before" state for apply and as the prune candidates.
  const liveBefore = await listOwned(client, dist.app, namespaces, desired);
  const applied = await reporter.step(`Applying ${desired.length} objects of ${dist.app}`, async (s) => {
    const res = await applyObjects(client, desired, {
      live: new Map(liveBefore.map((o) => [keyOf(refOf(o)), o])),
      onApplied: (a) => {
        const line = changeLine(a);
        if (line) s.line(line);
      },
    });
    const count = (c: Change): number => res.filter((r) => r.change === c).length;
    s.title(
      `Applied ${res.length} objects of ${dist.app} to ${describeContext(client.context)}: ` +
        `${count('created')} created, ${count('configured')} configured, ${count('unchanged')} unchanged`,
    );
    return res;
  });

  const pruneResult = { pruned: [] as string[], kept: [] as { name: string; reason: KeepReason }[] };
  if (opts.prune !== false) {
    await reporter.step(`Pruning objects of ${dist.app} gone from dist`, async (s) => {
      // Listed before apply: anything owned and not in dist was already there then (apply creates only dist objects).
      const plan = planPrune(liveBefore, desired, { app: dist.app, namespaces });
      for (const obj of sortForDelete(plan.delete)) {
        await client.delete(refOf(obj));
        const name = displayName(refOf(obj));
        pruneResult.pruned.push(name);
        s.line(`pruned     ${name}`);
      }
      for (const k of plan.keep) {
        const name = displayName(refOf(k.obj));
        pruneResult.kept.push({ name, reason: k.reason });
        if (k.reason === 'generated-credentials') s.line(`kept       ${name} (generated credentials; berth destroy removes them)`);
        if (k.reason === 'namespace') s.line(`kept       ${name} (namespaces are never pruned; berth destroy removes it)`);
      }
      s.title(`Pruned ${plan.delete.length} object(s) of ${dist.app}`);
    });
  }

  if (opts.wait !== false) {
    const waited = applied.filter((a) => needsWait(a.result)).map((a) => ({ ...a.result, apiVersion: a.desired.apiVersion, kind: a.desired.kind }));
    const ingressUrl = ingressUrlFor(client.context.contextName, opts.ingressUrl);
    await reporter.waitItems(
      `Waiting for ${waited.length} object(s) of ${dist.app} to be ready`,
      waited.map((o) => displayName(refOf(o))),
      (update) =>
        waitForReady(client, waited, {
          timeoutMs: timeoutMs(opts.timeout),
          labelSelector: `${APP_LABEL}=${dist.app}`,
          onUpdate: update,
          ingressProbe: ingressUrl ? makeIngressProbe(ingressUrl) : undefined,
          grace: opts.grace,
        }),
    );
  }

  return {
    app: dist.app,
    namespace,
    context: client.context.contextName,
    applied: applied.map((a) => ({ name: a.name, kind: a.desired.kind, change: a.change, generated: a.generated })),
    pruned: pruneResult.pruned,
    kept: pruneResult.kept,
    durationMs: Date.now() - t0,
  };
}

/** Deploy every app in dist (or `opts.app`). */
export async function deploy(opts: DeployOptions = {}): Promise<AppDeployResult[]> {
  const distDir = opts.dist ?? 'dist';
  if (opts.resynth !== false) await ensureFreshDist(distDir, opts.app);
  const apps = readDist(distDir, opts.app);
  const reporter = opts.reporter ?? makeReporter(opts.progress);
  return withClient(opts, async (client) => {
    const out: AppDeployResult[] = [];
    for (const app of apps) {
      const r = await deployApp(client, app, opts, reporter);
      const changed = r.applied.filter((a) => a.change !== 'unchanged').length;
      reporter.info(
        `deployed ${r.app} to ${describeContext(client.context)}, namespace ${r.namespace} in ${(r.durationMs / 1000).toFixed(1)}s: ` +
          (changed || r.pruned.length ? `${changed} changed, ${r.pruned.length} pruned` : 'no changes'),
      );
      out.push(r);
    }
    return out;
  });
}
