/**
 * berth deploy: dist/ → server-side apply in dependency order → prune → wait.
 */
import { APP_LABEL, MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../contract';
import { ContextOptions, describeContext } from '../kube/context';
import { Applied, applyObjects, Change } from './apply';
import { withClient } from '../kube/connect';
import { parseDuration } from './errors';
import { ingressUrlFor, makeIngressProbe } from './ingress-probe';
import { inventoryOf, sameInventory, unionInventory, writeInventory } from './inventory';
import { KubeApiError, KubeClient } from '../kube/client';
import { DeployPlan, preflight } from './preflight';
import { DistApp, readDist } from '../dist';
import { sortForDelete } from './plan';
import { KeepReason } from './prune';
import { makeReporter, ProgressMode, Reporter } from './progress';
import { describeReplacement } from './replace';
import { removeStrayPods, runReplacement } from './replace-run';
import { displayName, KObject, keyOf, refOf } from '../kube/types';
import { Grace, needsWait, waitForReady } from './wait';
import { waitForDefaultServiceAccount } from '../kube/service-account';

export { listOwned, namespacedLookup } from './owned';

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
  progress?: ProgressMode;
  /** Where the ingress controller answers HTTP, for Ingresses without a published address. */
  ingressUrl?: string;
  grace?: Partial<Grace>;
  /** Prune even when dist/ has no objects or no workloads left (kapp's dangerous-allow-empty-list-of-resources). */
  allowEmptyPrune?: boolean;
  /** Take over existing objects of the app's names that lack the app label (they become the app's: destroy deletes them). */
  adopt?: boolean;
  /** Carry out replacements that lose data (deleted claims, claims no longer mounted). */
  allowDataLoss?: boolean;
  /** End of the whole command (epoch ms); default now + timeout. */
  deadline?: number;
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
  /** Objects re-created because an immutable field changed. */
  replaced: string[];
  durationMs: number;
}

export const DEFAULT_TIMEOUT_MS = 5 * 60_000;

export function timeoutMs(t: string | number | undefined): number {
  if (t === undefined) return DEFAULT_TIMEOUT_MS;
  return typeof t === 'number' ? t : parseDuration(t);
}

/**
 * A command's deadline from its --timeout (parsed here, before the first request, so a bad value
 * changes nothing) and the flag that errors name when it passes.
 */
export function commandDeadline(command: string, timeout: string | number | undefined, at?: number): { at: number; flag: string } {
  const ms = timeoutMs(timeout);
  return { at: at ?? Date.now() + ms, flag: `${command} --timeout ${timeout ?? '5m'}` };
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
async function createMissingNamespaces(client: KubeClient, namespaces: string[], desired: KObject[], reporter: Reporter, deadline: number): Promise<void> {
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
    await waitForDefaultServiceAccount(client, ns, deadline);
  }
}

/** Deploy one app's objects (already read from dist). */
export async function deployApp(client: KubeClient, dist: DistApp, opts: DeployOptions, reporter: Reporter): Promise<AppDeployResult> {
  return applyPlan(client, dist, await preflight(client, dist, opts), opts, reporter);
}

/** Carry out a checked plan (preflight): apply, replace, prune, wait. */
async function applyPlan(client: KubeClient, dist: DistApp, plan: DeployPlan, opts: DeployOptions, reporter: Reporter): Promise<AppDeployResult> {
  const t0 = Date.now();
  const deadline = opts.deadline ?? t0 + timeoutMs(opts.timeout);
  const { desired, namespace, namespaces } = plan;
  // What the record must hold once this dist is applied: what it held before, and what dist adds.
  const recorded = unionInventory(plan.inventory, inventoryOf(desired, namespaces));
  for (const r of plan.replacements) for (const line of describeReplacement(r)) reporter.info(line);

  // Changes start here. Each step is idempotent, so an interrupted deploy is finished by the next one.
  if (opts.createNamespace) await createMissingNamespaces(client, namespaces, desired, reporter, deadline);
  const replaced = new Set(plan.replacements.map((r) => keyOf(refOf(r.desired))));
  const live = new Map([...plan.before].map(([k, v]) => [k, replaced.has(k) ? undefined : v]));
  const applied = await reporter.step(`Applying ${desired.length} objects of ${dist.app}`, async (s) => {
    const onApplied = (a: Applied): void => {
      const line = changeLine(a);
      if (line) s.line(line);
    };
    // Namespaces first: the inventory lives in one. Then the record, before anything it must cover exists.
    const res = await applyObjects(
      client,
      desired.filter((o) => o.kind === 'Namespace'),
      { live, onApplied, deadline },
    );
    if (recorded.kinds.length > 0 && !sameInventory(recorded, plan.inventory)) await writeInventory(client, dist.app, namespace, recorded);
    for (const r of plan.replacements) await runReplacement(client, r, deadline, (l) => s.line(l));
    await removeStrays(client, desired, plan.before, deadline, (l) => s.line(l));
    res.push(
      ...(await applyObjects(
        client,
        desired.filter((o) => o.kind !== 'Namespace'),
        { live, onApplied, deadline },
      )),
    );
    const count = (c: Change): number => res.filter((r) => r.change === c).length;
    s.title(
      `Applied ${res.length} objects of ${dist.app} to ${describeContext(client.context)}: ` +
        `${count('created')} created, ${count('configured')} configured, ${count('unchanged')} unchanged` +
        (replaced.size ? `, ${replaced.size} replaced` : ''),
    );
    return res;
  });

  const pruneResult = { pruned: [] as string[], kept: [] as { name: string; reason: KeepReason }[] };
  if (plan.prune) {
    const prune = plan.prune;
    await reporter.step(`Pruning objects of ${dist.app} gone from dist`, async (s) => {
      for (const obj of sortForDelete(prune.delete)) {
        await client.delete(refOf(obj));
        const name = displayName(refOf(obj));
        pruneResult.pruned.push(name);
        s.line(`pruned     ${name}`);
      }
      for (const k of prune.keep) {
        const name = displayName(refOf(k.obj));
        pruneResult.kept.push({ name, reason: k.reason });
        if (k.reason === 'generated-credentials') s.line(`kept       ${name} (generated credentials; berth destroy removes them)`);
        if (k.reason === 'namespace') s.line(`kept       ${name} (namespaces are never pruned; berth destroy removes it)`);
      }
      // The record shrinks to what is left: dist plus what prune kept.
      const left = [...desired, ...prune.keep.map((k) => k.obj)];
      const remaining = inventoryOf(left, [namespace, ...left.map((o) => o.metadata.namespace ?? namespace)]);
      if (!sameInventory(remaining, recorded)) {
        await writeInventory(client, dist.app, namespace, remaining);
      }
      s.title(`Pruned ${prune.delete.length} object(s) of ${dist.app}`);
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
          timeoutMs: Math.max(0, deadline - Date.now()),
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
    replaced: plan.replacements.map((r) => r.name),
    durationMs: Date.now() - t0,
  };
}

/**
 * A StatefulSet about to be created where pods of its name still run
 * without a controller (a re-create interrupted after the old one was
 * deleted): pods its selector does not match would block it; remove them.
 */
async function removeStrays(
  client: KubeClient,
  desired: KObject[],
  before: Map<string, KObject | undefined>,
  deadline: number,
  log: (s: string) => void,
): Promise<void> {
  const podsIn = new Map<string | undefined, Promise<KObject[]>>(); // one list per namespace, only when needed
  for (const sts of desired.filter((d) => d.kind === 'StatefulSet' && !before.get(keyOf(refOf(d))))) {
    const ns = sts.metadata.namespace;
    if (!podsIn.has(ns)) podsIn.set(ns, client.list('v1', 'Pod', { namespace: ns }));
    await removeStrayPods(client, sts, await podsIn.get(ns)!, deadline, log);
  }
}

/** Deploy every app in dist (or `opts.app`), as it is: re-synthesizing stale apps is the CLI's job (src/cli/pipeline.ts). */
export async function deploy(opts: DeployOptions = {}): Promise<AppDeployResult[]> {
  // The whole command is bounded by --timeout; parsed first, so a bad value changes nothing.
  const bound = commandDeadline('deploy', opts.timeout, opts.deadline);
  const deadline = bound.at;
  const distDir = opts.dist ?? 'dist';
  const apps = readDist(distDir, opts.app);
  const reporter = opts.reporter ?? makeReporter(opts.progress);
  return withClient({ ...opts, deadline: bound }, async (client) => {
    // Every app is checked before the first one changes anything: one refusal stops them all.
    const plans: DeployPlan[] = [];
    for (const app of apps) plans.push(await preflight(client, app, opts));
    const out: AppDeployResult[] = [];
    for (const [i, app] of apps.entries()) {
      const r = await applyPlan(client, app, plans[i], { ...opts, deadline }, reporter);
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
