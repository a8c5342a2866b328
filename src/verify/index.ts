import { ContextOptions, loadKubeConfig } from '../cluster/context';
import { withClient } from '../deploy/connect';
import type { Kube } from './kube';
import { defaultProbeImage } from './probe-pod';
import { reportOk } from './report';
import { loadTarget, VerifyTarget } from './target';
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
  /** Which cluster: kubeconfig file(s) and context, as for deploy. */
  cluster: ContextOptions;
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
  // Unreachable cluster: the whole run fails (exit 2) with connect's message, not every check.
  return withClient(o.cluster, async (client) => {
    const kube: Kube = { client, kc: await loadKubeConfig(o.cluster), context: client.context.contextName };
    return runChecks(o, kube, target, timing, startedAt);
  });
}

async function runChecks(o: VerifyOptions, kube: Kube, target: VerifyTarget, timing: Timing, startedAt: Date): Promise<VerifyReport> {
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
