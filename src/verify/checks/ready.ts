import type { V1Pod } from '@kubernetes/client-node';
import { describePods, hopelessReason, readyPods, restarts } from '../pods';
import { selectorString } from '../../contract';
import type { CheckResult } from '../types';
import { ResourceWatch } from '../watch';
import { CheckContext, CheckOutcome, runCheck } from './context';
import { observeStability, stabilityProblem } from './stability';

interface Workload {
  kind: 'Deployment' | 'StatefulSet';
  name: string;
  namespace: string;
  replicas: number;
  selector: Record<string, string>;
}

export function workloads(ctx: CheckContext): Workload[] {
  return [
    ...ctx.target.databases.map((d) => ({ kind: 'StatefulSet' as const, ...d })),
    ...ctx.target.webApps.map((w) => ({ kind: 'Deployment' as const, ...w })),
  ];
}

/** Wait until `replicas` pods are ready (fail fast on CrashLoopBackOff and friends). */
export async function waitReady(ctx: CheckContext, w: ResourceWatch<V1Pod>, what: string, replicas: number, label = 'pods ready'): Promise<void> {
  await ctx.timing.k8s(label, () =>
    w.until((ps) => readyPods(ps).length >= replicas, {
      timeoutMs: ctx.timeoutMs,
      what,
      fail: (ps) => ps.map((p) => hopelessReason(p)).find(Boolean),
      describe: describePods,
    }),
  );
}

/** Check 1: every workload exists, is ready, and its restart counts do not climb while watched. */
export async function checkReady(ctx: CheckContext): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const wl of workloads(ctx)) {
    results.push(
      await runCheck('ready', wl.name, async (details) => {
        const live = await ctx.kube.client.get({ apiVersion: 'apps/v1', kind: wl.kind, namespace: wl.namespace, name: wl.name });
        if (!live) throw new CheckOutcome('fail', `${wl.kind} ${wl.namespace}/${wl.name} not found on context ${ctx.kube.context}: run \`berth deploy\` first`);
        const w = await ResourceWatch.pods(ctx.kube.client, wl.namespace, selectorString(wl.selector));
        try {
          await waitReady(ctx, w, `${wl.kind} ${wl.name}: ${wl.replicas} ready pod(s)`, wl.replicas);
          const r = await ctx.timing.observe('observation window', () => observeStability(w, ctx.observeMs));
          details.pods = readyPods(w.all).map((p) => ({ name: p.metadata!.name, restarts: restarts(p) }));
          details.observedMs = ctx.observeMs;
          const problem = stabilityProblem(r, ctx.observeMs);
          if (problem) throw new CheckOutcome('fail', `${wl.kind} ${wl.name}: ${problem}`, details);
          return `${wl.kind} ${wl.name}: ${wl.replicas}/${wl.replicas} ready, restart counts stable for ${Math.round(ctx.observeMs / 1000)}s`;
        } finally {
          w.stop();
        }
      }),
    );
  }
  return results;
}
