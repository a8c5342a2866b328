import type { KubeConfig } from '@kubernetes/client-node';
import { errorMessage, makeKube } from './kube';
import { defaultProbeImage } from './probe-pod';
import { reportOk } from './report';
import { loadTarget } from './target';
import { Timing } from './timing';
import type { CheckResult, VerifyReport } from './types';
import { CheckContext, notRun, runCheck } from './checks/context';
import { checkReady } from './checks/ready';
import { checkWiring } from './checks/wiring';
import { checkWebRestart } from './checks/restart';
import { checkDbRestart } from './checks/persistence';
import { checkKeepData, Redeployer } from './checks/keepdata';

export type { VerifyReport, CheckResult } from './types';
export type { Redeployer } from './checks/keepdata';

export interface VerifyOptions {
  kubeConfig: KubeConfig;
  distDir?: string;
  app?: string;
  namespace?: string;
  observeSeconds?: number;
  timeoutSeconds?: number;
  probeImage?: string;
  ingressUrl?: string;
  /** Needed for the keep-data check; omit together with skipKeepData. */
  redeployer?: Redeployer;
  skipKeepData?: boolean;
  log?: (msg: string) => void;
}

/** Fail the whole run (exit 2), not every check, when the cluster cannot be reached. */
async function assertReachable(kube: ReturnType<typeof makeKube>): Promise<void> {
  try {
    await kube.core.getAPIResources();
  } catch (e) {
    const server = kube.kc.getCurrentCluster()?.server ?? 'unknown server';
    throw new Error(`cannot reach the cluster of context ${kube.context} (${server}): ${errorMessage(e)}${(e as { cause?: { code?: string } })?.cause?.code ? ` (${(e as { cause: { code: string } }).cause.code})` : ''} — is it running? (local test cluster: npm run cluster:up)`);
  }
}

function defaultIngressUrl(env = process.env): string {
  return `http://127.0.0.1:${env.BERTH_INGRESS_PORT ?? '80'}`;
}

/**
 * Run every check in order: ready → wiring → WebApp restarts (+ availability)
 * → database restart + persistence → destroy --keep-data + deploy. Checks that
 * disrupt run after the ones that only look, so a broken app is reported as
 * broken before verify touches it.
 */
export async function runVerify(o: VerifyOptions): Promise<VerifyReport> {
  const startedAt = new Date();
  const timing = new Timing();
  const target = loadTarget({ distDir: o.distDir, app: o.app, namespace: o.namespace });
  const kube = makeKube(o.kubeConfig);
  const log = o.log ?? (() => undefined);
  const ctx: CheckContext = {
    kube,
    target,
    timing,
    observeMs: (o.observeSeconds ?? 5) * 1000,
    timeoutMs: (o.timeoutSeconds ?? 180) * 1000,
    probeImage: o.probeImage ?? defaultProbeImage(),
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
  await assertReachable(kube);
  log(`verify ${target.app} (${target.webApps.length} WebApp(s), ${target.databases.length} database(s)) on context ${kube.context}`);
  add(await checkReady(ctx));
  // Disrupting a workload that is not ready proves nothing: those checks are not run (ready already failed).
  const unready = new Set(checks.filter((c) => c.check === 'ready' && c.status === 'fail').map((c) => c.target));
  const blocked = (name: string) => (unready.has(name) ? `ready/${name} failed` : undefined);
  for (const web of target.webApps) {
    const dbs = target.databases.filter((d) => unready.has(d.name)).map((d) => d.name);
    const why = blocked(web.name) ?? (dbs.length ? `database ${dbs.join(', ')} not ready` : undefined);
    add([why ? notRun('wiring', web.name, why) : await checkWiring(ctx, web)]);
  }
  for (const web of target.webApps) {
    const why = blocked(web.name);
    add(why ? [notRun('restart', web.name, why), notRun('availability', web.name, why)] : await checkWebRestart(ctx, web));
  }
  const persisted = [];
  for (const db of target.databases) {
    const why = blocked(db.name);
    if (why) {
      add([notRun('persistence', db.name, why)]);
      continue;
    }
    const r = await checkDbRestart(ctx, db);
    add([r.result]);
    persisted.push({ db, marker: r.marker, claim: r.claim });
  }
  if (target.databases.length) {
    if (o.skipKeepData) {
      add(target.databases.map((d) => ({ ...notRun('keep-data', d.name, ''), reason: 'skipped (--skip-keep-data)' })));
    } else if (!persisted.some((p) => p.marker)) {
      // Never destroy an app whose data could not even be marked.
      add(target.databases.map((d) => notRun('keep-data', d.name, 'no marker was written by the persistence check')));
    } else if (!o.redeployer) {
      add([await runCheck('keep-data', target.app, async () => { throw new Error('no deploy API available to run destroy --keep-data + deploy'); })]);
    } else {
      add(await checkKeepData(ctx, o.redeployer, persisted));
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
