import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { registerCleanup } from '../cleanup';
import { claimVolume, errorMessage } from '../kube';
import { newMarker, readMarker, withMongo, writeMarker, Marker } from '../mongo';
import type { NodeDisruptor } from '../nodes/disruptor';
import { judge, secs } from '../nodes/judge';
import { isNodeReady, nodeLocalStatement, nodeLocalVolume, NodeLocalVolume, pickNode, podsByNode, schedulableNodes, tooFewNodes } from '../nodes/topology';
import { describePods, isReady, readyPods } from '../pods';
import { DbTarget } from '../target';
import { selectorString } from '../../contract';
import type { CheckResult, TimelineMarker } from '../types';
import { ResourceWatch } from '../watch';
import { CheckContext, CheckOutcome, notRun, runCheck } from './context';
import { dataClaim } from './persistence';
import { waitReady } from './ready';
import { startTraffic, Traffic, trafficTimeline } from './restart';
import { stopTraffic, trafficCounts, trafficFigures } from './node-traffic';

interface DbPlacement {
  db: DbTarget;
  podNode?: string;
  local?: NodeLocalVolume;
  storage: string;
}

/** Where each database's pod and volume are. */
async function placeDatabases(ctx: CheckContext): Promise<DbPlacement[]> {
  const out: DbPlacement[] = [];
  for (const db of ctx.target.databases) {
    const pod = await ctx.kube.client.get<V1Pod>({ apiVersion: 'v1', kind: 'Pod', namespace: db.namespace, name: `${db.name}-0` });
    const podNode = pod?.spec?.nodeName;
    let local: NodeLocalVolume | undefined;
    let storage = 'no data volume';
    if (pod) {
      const claim = await dataClaim(ctx, db, pod);
      storage = claim.volumeType;
      if (claim.claim) {
        const pv = await claimVolume(ctx.kube.client, db.namespace, claim.claim);
        if (pv) local = nodeLocalVolume(pv, podNode);
        storage = `PVC ${claim.claim}${pv?.spec?.storageClassName ? ` (${pv.spec.storageClassName})` : ''}`;
      }
    }
    out.push({ db, podNode, local, storage });
  }
  return out;
}

/** The node now, or undefined while the API server cannot say (a failed read is retried by the caller's loop). */
function readNode(ctx: CheckContext, node: string): Promise<V1Node | undefined> {
  return ctx.kube.client.get<V1Node>({ apiVersion: 'v1', kind: 'Node', name: node }).catch(() => undefined);
}

/** Poll the node's Ready condition; remembers when it first went un-Ready. */
function watchNodeReady(ctx: CheckContext, node: string, t0: number) {
  const state = { notReadyAfterMs: undefined as number | undefined, stopped: false };
  const loop = (async () => {
    while (!state.stopped) {
      const n = await readNode(ctx, node);
      if (n && !isNodeReady(n) && state.notReadyAfterMs === undefined) state.notReadyAfterMs = Date.now() - t0;
      await new Promise((r) => setTimeout(r, 1000));
    }
  })();
  return {
    state,
    stop: async () => {
      state.stopped = true;
      await loop;
    },
  };
}

async function waitNodeReady(ctx: CheckContext, node: string): Promise<boolean> {
  const end = Date.now() + ctx.timeoutMs;
  while (Date.now() < end) {
    const n = await readNode(ctx, node);
    if (n && isNodeReady(n)) return true;
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

/**
 * A crash: stop the node holding web pods (preferably not the database's) abruptly through the
 * cluster's NodeDisruptor, measure requests through the Service and the Ingress per second, the
 * time until traffic recovered and until replacement pods were ready elsewhere; then restore the
 * node. Databases whose volume is on one node get the truth about it, and when that node was the
 * one stopped, a marker written before proves the data came back with it.
 */
export async function checkNodeFailure(ctx: CheckContext, disruptor: NodeDisruptor): Promise<CheckResult[]> {
  const webs = ctx.target.webApps;
  const ids = [...webs.map((w) => w.name), ...ctx.target.databases.map((d) => d.name)];
  const skipAll = (why: string) => ids.map((id) => ({ ...notRun('node-failure', id, ''), reason: `skipped: ${why}` }));
  const nodes = await ctx.kube.client.list<V1Node>('v1', 'Node');
  const few = tooFewNodes(nodes);
  if (few) return skipAll(few);
  if (!webs.length) return skipAll('the app has no WebApp');
  const schedulable = new Set(schedulableNodes(nodes));
  const dbs = await placeDatabases(ctx);
  const avoid = new Set(dbs.flatMap((d) => [d.podNode, d.local?.node]).filter((n): n is string => !!n));

  const watches = await Promise.all(webs.map((w) => ResourceWatch.pods(ctx.kube.client, w.namespace, selectorString(w.selector))));
  const traffic = webs.map((): Traffic => ({}));
  const results: CheckResult[] = [];
  let stoppedNode: string | undefined;
  try {
    for (const [i, web] of webs.entries()) await waitReady(ctx, watches[i], `Deployment ${web.name} ready before the node failure`, web.replicas);
    const webPods = watches.flatMap((w) => readyPods(w.all));
    const victim = pickNode(webPods, (n) => schedulable.has(n) && !disruptor.unavailable(n), avoid);
    if (!victim) {
      const reasons = [...new Set([...podsByNode(webPods).keys()].map((n) => disruptor.unavailable(n) ?? `${n} is not schedulable`))];
      return skipAll(`no node holding web pods can be stopped here: ${reasons.join('; ')}`);
    }
    const markers = new Map<string, Marker>();
    for (const d of dbs.filter((x) => x.podNode === victim)) {
      const m = newMarker();
      await withMongo(ctx.kube, d.db, `${d.db.name}-0`, (c) => writeMarker(c, d.db.database, m));
      markers.set(d.db.name, m);
    }
    for (const [i, web] of webs.entries()) await startTraffic(ctx, web, traffic[i], victim);
    const podsBefore = Object.fromEntries(podsByNode(webPods));

    ctx.log(`node-failure: stopping node ${victim} abruptly (${disruptor.name})`);
    const t0 = Date.now();
    const unregister = registerCleanup(() => disruptor.restore(victim));
    stoppedNode = victim;
    await disruptor.stop(victim);
    const stoppedMs = Date.now() - t0;
    const nodeWatch = watchNodeReady(ctx, victim, t0);
    const replacedAfterMs: (number | undefined)[] = [];
    const waitErrors: (string | undefined)[] = [];
    await Promise.all(
      webs.map(async (web, i) => {
        const off = (ps: V1Pod[]) => readyPods(ps).filter((p) => p.spec?.nodeName !== victim);
        try {
          await ctx.timing.k8s('replacements ready after a node failure', () =>
            watches[i].until((ps) => off(ps).length >= web.replicas, {
              timeoutMs: ctx.timeoutMs,
              what: `${web.replicas} ready pod(s) of ${web.name} off node ${victim}`,
              describe: describePods,
            }),
          );
          replacedAfterMs[i] = Date.now() - t0;
        } catch (e) {
          waitErrors[i] = errorMessage(e);
        }
      }),
    );
    // Traffic after the replacements: recovery must hold, not just happen.
    await ctx.timing.observe('observation window', () => new Promise((r) => setTimeout(r, Math.max(ctx.observeMs, 5000))));
    const t1 = Date.now();
    await nodeWatch.stop();
    await Promise.all(traffic.map((t) => stopTraffic(t, t1)));

    ctx.log(`node-failure: restoring node ${victim}`);
    const r0 = Date.now();
    unregister();
    let restoreError: string | undefined;
    await disruptor.restore(victim).catch((e) => (restoreError = errorMessage(e)));
    stoppedNode = undefined;
    const back = !restoreError && (await ctx.timing.k8s('node back Ready', () => waitNodeReady(ctx, victim)));
    const backAfterMs = back ? Date.now() - r0 : undefined;

    for (const [i, web] of webs.entries()) {
      results.push(
        await runCheck('node-failure', web.name, async (details) => {
          const figures = trafficFigures(web, ctx, traffic[i], t0, t0 - 2000, t1);
          Object.assign(details, {
            node: victim,
            disruptor: disruptor.name,
            podsBefore,
            stoppedInMs: stoppedMs,
            nodeNotReadyAfterMs: nodeWatch.state.notReadyAfterMs,
            replacementsReadyAfterMs: replacedAfterMs[i],
            nodeBackAfterMs: backAfterMs,
            ...figures,
            timeline: trafficTimeline(traffic[i], { from: t0, to: t1 }, failureMarkers(victim, nodeWatch.state.notReadyAfterMs, replacedAfterMs[i])),
          });
          const verdict = judge(
            web.replicas,
            victim,
            figures,
            { replacedAfterMs: replacedAfterMs[i], waitError: waitErrors[i], notReadyAfterMs: nodeWatch.state.notReadyAfterMs, backAfterMs, restoreError },
            trafficCounts(web, traffic[i], t0, t1),
          );
          if (!verdict.ok) throw new CheckOutcome('fail', verdict.reason, details);
          return verdict.reason;
        }),
      );
    }
    for (const d of dbs) results.push(await dbResult(ctx, d, victim, markers.get(d.db.name), backAfterMs));
    return results;
  } catch (e) {
    // Whatever broke, the node must not stay down.
    const restored = stoppedNode
      ? await disruptor.restore(stoppedNode).then(
          () => '; node restored',
          (r) => `; restoring node ${stoppedNode} failed too: ${errorMessage(r)}`,
        )
      : '';
    const reason = `${errorMessage(e)}${restored}`;
    const done = new Set(results.map((r) => r.target));
    return [
      ...results,
      ...ids
        .filter((id) => !done.has(id))
        .map((id) => ({ id: `node-failure/${id}`, check: 'node-failure', target: id, status: 'fail' as const, reason, durationMs: 0, details: {} })),
    ];
  } finally {
    watches.forEach((w) => w.stop());
    await Promise.all(traffic.map((t) => stopTraffic(t, Date.now()).catch(() => undefined)));
  }
}

/** What the chart marks: the stop, the node turning NotReady, the replacements ready (ms after the stop). */
function failureMarkers(node: string, notReadyAfterMs?: number, replacedAfterMs?: number): TimelineMarker[] {
  const markers: TimelineMarker[] = [{ atMs: 0, kind: 'node', label: `stopped ${node}` }];
  if (notReadyAfterMs !== undefined) markers.push({ atMs: notReadyAfterMs, kind: 'node', label: `${node} NotReady` });
  if (replacedAfterMs !== undefined) markers.push({ atMs: replacedAfterMs, kind: 'pod-ready', label: `replacements ready off ${node}` });
  return markers.sort((a, b) => a.atMs - b.atMs);
}

/** The database's truth after (or without) losing a node. */
async function dbResult(ctx: CheckContext, d: DbPlacement, victim: string, marker: Marker | undefined, backAfterMs?: number): Promise<CheckResult> {
  return runCheck('node-failure', d.db.name, async (details) => {
    Object.assign(details, { podNode: d.podNode, storage: d.storage, volumeNode: d.local?.node, volumeKind: d.local?.kind });
    const statement = d.local ? nodeLocalStatement(d.db.name, d.local) : undefined;
    if (d.podNode !== victim) {
      const what = statement ?? `${d.db.name}'s volume (${d.storage}) is not tied to one node: its pod can move when a node fails`;
      throw new CheckOutcome('skip', `${what} (not tested: its node ${d.podNode ?? '?'} was not stopped; ${victim} was)`, details);
    }
    if (!marker) throw new CheckOutcome('fail', `${statement ?? d.db.name}: no marker was written before the node failure`, details);
    if (backAfterMs === undefined)
      throw new CheckOutcome('fail', `${statement ?? d.db.name}: node ${victim} did not come back, the data was not checked`, details);
    const podName = `${d.db.name}-0`;
    const w = await ResourceWatch.pods(ctx.kube.client, d.db.namespace, selectorString(d.db.selector));
    const t0 = Date.now();
    try {
      await ctx.timing.k8s('database back with its node', () =>
        w.until((ps) => ps.some((p) => p.metadata?.name === podName && isReady(p)), {
          timeoutMs: ctx.timeoutMs,
          what: `database pod ${podName} ready after node ${victim} came back`,
          describe: describePods,
        }),
      );
    } finally {
      w.stop();
    }
    details.readyAfterNodeBackMs = Date.now() - t0;
    const got = await withMongo(ctx.kube, d.db, podName, (c) => readMarker(c, d.db.database, marker._id));
    details.marker = { id: marker._id, found: !!got };
    if (!got || got.value !== marker.value)
      throw new CheckOutcome('fail', `marker ${marker._id} ${got ? 'changed' : 'lost'} after node ${victim} came back (${d.storage})`, details);
    const truth = statement ?? `${d.db.name}'s pod was on node ${victim}; its volume (${d.storage}) is not tied to it`;
    return `${truth}. Node ${victim} was stopped and came back after ${secs(backAfterMs)}; ${podName} ready ${secs(details.readyAfterNodeBackMs as number)} later, marker read back intact`;
  });
}
