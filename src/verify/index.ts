import { ContextOptions, loadKubeConfig } from '../kube/context';
import { targetNamespace, withClient } from '../kube/connect';
import type { Kube } from './kube';
import { chooseProbeImage, nodeImagesOf } from './probe-image';
import { reportOk } from './report';
import { buildTarget, readTarget, VerifyTarget } from './target';
import { Timing } from './timing';
import type { CheckResult, VerifyReport } from './types';
import { CheckContext, notRun, runCheck } from './checks/context';
import { checkReady } from './checks/ready';
import { checkWiring } from './checks/wiring';
import { checkWebRestart } from './checks/restart';
import { checkDbRestart } from './checks/persistence';
import { checkKeepData, Redeployer } from './checks/keepdata';
import { checkNodeDrain } from './checks/node-drain';
import { checkNodeFailure } from './checks/node-failure';
import { localClusterDisruptor, NodeDisruptor } from './nodes/disruptor';

export type { VerifyReport, CheckResult } from './types';
export type { Redeployer } from './checks/keepdata';
export type { NodeDisruptor } from './nodes/disruptor';

/** Check families `only` can select (ready always runs: the others need a ready app). */
export const CHECK_FAMILIES = ['wiring', 'restart', 'persistence', 'keep-data', 'node-drain', 'node-failure'] as const;
export type CheckFamily = (typeof CHECK_FAMILIES)[number];

export interface VerifyOptions {
  /** Which cluster: kubeconfig file(s) and context, as for deploy. */
  cluster: ContextOptions;
  distDir?: string;
  app?: string;
  /** Namespace of the objects that set none, as for deploy. @default the context's, else "default" */
  namespace?: string;
  observeSeconds?: number;
  timeoutSeconds?: number;
  probeImage?: string;
  ingressUrl?: string;
  /** Needed for the keep-data check; omit together with skipKeepData. */
  redeployer?: Redeployer;
  skipKeepData?: boolean;
  /** Run only these check families (plus ready). @default all */
  only?: CheckFamily[];
  /** How node-failure stops a node. @default berth's local cluster (hack/local-cluster/node.sh) */
  nodeDisruptor?: NodeDisruptor;
  log?: (msg: string) => void;
}

function defaultIngressUrl(env = process.env): string {
  return `http://127.0.0.1:${env.BERTH_INGRESS_PORT ?? '80'}`;
}

/**
 * Run every check in order: ready → wiring → WebApp restarts (+ availability)
 * → database restart + persistence → destroy --keep-data + deploy → node drain
 * → node failure. Checks that disrupt run after the ones that only look, so a
 * broken app is reported as broken before verify touches it; whole nodes last.
 */
export async function runVerify(o: VerifyOptions): Promise<VerifyReport> {
  const startedAt = new Date();
  const timing = new Timing();
  const dist = readTarget({ distDir: o.distDir, app: o.app });
  // Unreachable cluster: the whole run fails (exit 3, src/cli/exit-codes.ts) with connect's message, not every check.
  return withClient(o.cluster, async (client) => {
    const target = buildTarget(dist.app, dist.file, dist.objects, targetNamespace(client, o.namespace));
    const kube: Kube = { client, kc: await loadKubeConfig(o.cluster), context: client.context.contextName };
    const probe = chooseProbeImage({ override: o.probeImage, nodes: nodeImagesOf(await client.list('v1', 'Node')), deployedImages: imagesOf(target.objects) });
    o.log?.(`probe image ${probe.image} (${probe.why})`);
    return runChecks({ ...o, probeImage: probe.image }, kube, target, timing, startedAt);
  });
}

/** Nodes the app's database pods run on (the node checks leave those alone when they can). */
async function databaseNodes(kube: Kube, target: VerifyTarget): Promise<Set<string>> {
  const out = new Set<string>();
  for (const db of target.databases) {
    const pod = await kube.client.get<{ spec?: { nodeName?: string } }>({ apiVersion: 'v1', kind: 'Pod', namespace: db.namespace, name: `${db.name}-0` });
    if (pod?.spec?.nodeName) out.add(pod.spec.nodeName);
  }
  return out;
}

/** Every container image in the app's manifests (what was deployed). */
function imagesOf(objects: { spec?: unknown }[]): string[] {
  const out: string[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'image' && typeof x === 'string') out.push(x);
        else visit(x);
      }
    }
  };
  objects.forEach((o) => visit(o.spec));
  return out;
}

async function runChecks(o: VerifyOptions, kube: Kube, target: VerifyTarget, timing: Timing, startedAt: Date): Promise<VerifyReport> {
  const log = o.log ?? (() => undefined);
  const ctx: CheckContext = {
    kube,
    target,
    timing,
    observeMs: (o.observeSeconds ?? 5) * 1000,
    timeoutMs: (o.timeoutSeconds ?? 180) * 1000,
    probeImage: o.probeImage!,
    ingressUrl: o.ingressUrl ?? defaultIngressUrl(),
    log,
  };
  const checks: CheckResult[] = [];
  const add = (rs: CheckResult[]) => {
    for (const r of rs) {
      log(`${r.status.toUpperCase()} ${r.id}: ${r.reason}`);
      checks.push(r);
    }
  };
  const want = (f: CheckFamily) => !o.only || o.only.includes(f);
  log(`verify ${target.app} (${target.webApps.length} WebApp(s), ${target.databases.length} database(s)) on context ${kube.context}`);
  add(await checkReady(ctx));
  // Disrupting a workload that is not ready proves nothing: those checks are not run (ready already failed).
  const unready = new Set(checks.filter((c) => c.check === 'ready' && c.status === 'fail').map((c) => c.target));
  const blocked = (name: string) => (unready.has(name) ? `ready/${name} failed` : undefined);
  for (const web of want('wiring') ? target.webApps : []) {
    const dbs = target.databases.filter((d) => unready.has(d.name)).map((d) => d.name);
    const why = blocked(web.name) ?? (dbs.length ? `database ${dbs.join(', ')} not ready` : undefined);
    add([why ? notRun('wiring', web.name, why) : await checkWiring(ctx, web)]);
  }
  for (const web of want('restart') ? target.webApps : []) {
    const why = blocked(web.name);
    add(why ? [notRun('restart', web.name, why), notRun('availability', web.name, why)] : await checkWebRestart(ctx, web));
  }
  const persisted = [];
  for (const db of want('persistence') ? target.databases : []) {
    const why = blocked(db.name);
    if (why) {
      add([notRun('persistence', db.name, why)]);
      continue;
    }
    const r = await checkDbRestart(ctx, db);
    add([r.result]);
    persisted.push({ db, marker: r.marker, claim: r.claim });
  }
  if (target.databases.length && want('keep-data')) {
    if (o.skipKeepData) {
      add(target.databases.map((d) => ({ ...notRun('keep-data', d.name, ''), reason: 'skipped (--skip-keep-data)' })));
    } else if (!persisted.some((p) => p.marker)) {
      // Never destroy an app whose data could not even be marked.
      add(target.databases.map((d) => notRun('keep-data', d.name, 'no marker was written by the persistence check')));
    } else if (!o.redeployer) {
      add([
        await runCheck('keep-data', target.app, async () => {
          throw new Error('no deploy API available to run destroy --keep-data + deploy');
        }),
      ]);
    } else {
      add(await checkKeepData(ctx, o.redeployer, persisted));
    }
  }
  if (want('node-drain') || want('node-failure')) {
    const dbNodes = await databaseNodes(kube, target);
    for (const web of want('node-drain') ? target.webApps : []) {
      const why = blocked(web.name);
      add([why ? notRun('node-drain', web.name, why) : await checkNodeDrain(ctx, web, dbNodes)]);
    }
    if (want('node-failure')) {
      const why = [...unready].join(', ');
      const disruptor = o.nodeDisruptor ?? localClusterDisruptor(kube.context);
      add(
        why
          ? [...target.webApps, ...target.databases].map((w) => notRun('node-failure', w.name, `ready/${why} failed`))
          : await checkNodeFailure(ctx, disruptor),
      );
    }
  }
  const t = timing.summary();
  return {
    schemaVersion: 1,
    app: target.app,
    namespace: target.namespace,
    context: kube.context,
    startedAt: startedAt.toISOString(),
    durationMs: t.totalMs,
    ok: reportOk(checks),
    checks,
    timings: t,
  };
}
