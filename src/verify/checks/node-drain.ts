import type { V1Node, V1Pod } from '@kubernetes/client-node';
import type { KubeClient } from '../../kube/client';
import { APP_LABEL } from '../../contract';
import { registerCleanup } from '../cleanup';
import { claimVolume, errorMessage } from '../kube';
import { evictPod, EvictionResult, setUnschedulable } from '../nodes/eviction';
import { NodeLocalVolume, nodeLocalVolume, pickNode, podsByNode, schedulableNodes, tooFewNodes } from '../nodes/topology';
import { describePods, hopelessReason, readyPods } from '../pods';
import { WebTarget } from '../target';
import { selectorString } from '../../contract';
import type { CheckResult, TimelineMarker } from '../types';
import { ResourceWatch } from '../watch';
import { CheckContext, CheckOutcome, runCheck } from './context';
import { waitReady } from './ready';
import { startTraffic, Traffic, trafficTimeline } from './restart';
import { stopTraffic, trafficCounts, trafficFigures } from './node-traffic';

/**
 * Planned maintenance of a node: cordon the node holding pods of this WebApp, evict the app's pods
 * on it through the Eviction API (PodDisruptionBudgets honoured: a 429 is retried), and measure
 * requests through the Service and the Ingress the whole time. Passes with 0 failed requests and
 * every replacement ready on another node. The node is uncordoned at the end, also on Ctrl-C.
 * `avoid`: nodes holding the app's databases (draining those measures the database, not the web tier).
 */
export async function checkNodeDrain(ctx: CheckContext, web: WebTarget, avoid: Set<string>): Promise<CheckResult> {
  return runCheck('node-drain', web.name, async (details) => {
    const client = ctx.kube.client;
    const nodes = await client.list<V1Node>('v1', 'Node');
    const few = tooFewNodes(nodes);
    if (few) throw new CheckOutcome('skip', `skipped: ${few}`, details);
    const schedulable = new Set(schedulableNodes(nodes));
    const traffic: Traffic = {};
    const window = { from: 0, to: 0 };
    const markers: TimelineMarker[] = [];
    const mark = (kind: TimelineMarker['kind'], label: string) => markers.push({ atMs: Date.now() - window.from, kind, label });
    let node: string | undefined;
    let uncordon: (() => Promise<void>) | undefined;
    const w = await ResourceWatch.pods(client, web.namespace, selectorString(web.selector));
    try {
      await waitReady(ctx, w, `Deployment ${web.name} ready before the drain`, web.replicas);
      node = pickNode(readyPods(w.all), (n) => schedulable.has(n), avoid);
      if (!node) throw new CheckOutcome('fail', `no ready pod of ${web.name} runs on a schedulable node (${describePods(w.all)})`, details);
      details.node = node;
      details.podsBefore = Object.fromEntries(podsByNode(readyPods(w.all)));
      await startTraffic(ctx, web, traffic, node);
      window.from = Date.now();
      ctx.log(`node-drain: cordoning ${node} and evicting the ${web.namespace} pods of app ${ctx.target.app} on it`);
      const drained = node;
      const unregister = registerCleanup(() => setUnschedulable(client, drained, false));
      uncordon = async () => {
        unregister();
        await setUnschedulable(client, drained, false);
      };
      await setUnschedulable(client, node, true);
      mark('node', `cordoned ${node}`);
      const onNode = await client.list<V1Pod>('v1', 'Pod', {
        namespace: web.namespace,
        labelSelector: `${APP_LABEL}=${ctx.target.app}`,
        fieldSelector: `spec.nodeName=${node}`,
      });
      const evicted: EvictionResult[] = [];
      const gone = new Set<string>();
      const kept: string[] = [];
      for (const p of onNode.filter((x) => !x.metadata?.deletionTimestamp)) {
        const name = p.metadata!.name!;
        const pinned = await pinnedTo(client, p, node);
        if (pinned) {
          kept.push(`${name} (its ${pinned.kind} volume is on ${node})`);
          continue;
        }
        const r = await ctx.timing.k8s('eviction (PDB permitting)', () => evictPod(client, web.namespace, name, { timeoutMs: ctx.timeoutMs }));
        evicted.push(r);
        gone.add(name);
        mark('pod-deleted', `evicted ${name}`);
        details.evicted = evicted;
      }
      if (kept.length) details.notEvicted = kept;
      const onOtherNodes = (ps: V1Pod[]) => readyPods(ps).filter((p) => p.spec?.nodeName !== drained && !gone.has(p.metadata!.name!));
      await ctx.timing
        .k8s('replacements ready on other nodes', () =>
          w.until((ps) => onOtherNodes(ps).length >= web.replicas && !ps.some((p) => gone.has(p.metadata!.name!)), {
            timeoutMs: ctx.timeoutMs,
            what: `${web.replicas} ready pod(s) of ${web.name} off node ${drained}`,
            fail: (ps) =>
              ps
                .filter((p) => !gone.has(p.metadata!.name!))
                .map((p) => hopelessReason(p))
                .find(Boolean),
            describe: describePods,
          }),
        )
        .catch((e: Error) => {
          throw new CheckOutcome('fail', `after draining ${drained}: ${e.message}`, details);
        });
      mark('pod-ready', `replacements ready off ${drained}`);
      details.podsAfter = Object.fromEntries(podsByNode(onOtherNodes(w.all)));
      // Let requests already on their way to the evicted pods finish inside the window.
      await ctx.timing.observe('observation window', () => new Promise((r) => setTimeout(r, Math.min(ctx.observeMs, 5000))));
    } finally {
      window.to ||= Date.now();
      w.stop();
      await stopTraffic(traffic, window.to);
      if (uncordon) await uncordon().catch((e) => ctx.log(`node-drain: could not uncordon ${node}: ${errorMessage(e)}; run kubectl uncordon ${node}`));
    }
    Object.assign(details, trafficFigures(web, ctx, traffic, window.from, window.from, window.to));
    if (window.from > 0) details.timeline = trafficTimeline(traffic, window, markers);
    const counts = trafficCounts(web, traffic, window.from, window.to);
    if (web.replicas < 2) {
      throw new CheckOutcome(
        'fail',
        `not highly available: 1 replica, so draining node ${node} leaves the Service without a ready endpoint until the replacement is ready (${counts}); set replicas >= 2`,
        details,
      );
    }
    const setup = [traffic.serviceError, traffic.ingressError].filter(Boolean);
    if (setup.length) throw new CheckOutcome('fail', `traffic could not be measured: ${setup.join('; ')} (${counts})`, details);
    const failed = [traffic.service, traffic.ingress].some((t) => t?.tally.window(window.from, window.to).failed);
    if (failed) throw new CheckOutcome('fail', `requests failed while node ${node} was drained (${counts})`, details);
    const keptNote = details.notEvicted
      ? `; not evicted: ${(details.notEvicted as string[]).join(', ')}: it cannot run elsewhere, so a real drain of ${node} stops it until the node is back`
      : '';
    return `node ${node} cordoned, ${(details.evicted as EvictionResult[] | undefined)?.length ?? 0} pod(s) evicted, replacements ready on ${Object.keys(details.podsAfter as object).join(', ')}; 0 failed requests (${counts}); node uncordoned${keptNote}`;
  });
}

/**
 * The node-local volume that ties `pod` to `node` (a database on local-path), if any: evicting such a
 * pod leaves it Pending until the node is uncordoned, and the app's pods that need it go unready, so
 * the PodDisruptionBudget would refuse every further eviction. The check keeps it and says so.
 */
async function pinnedTo(client: KubeClient, pod: V1Pod, node: string): Promise<NodeLocalVolume | undefined> {
  for (const v of pod.spec?.volumes ?? []) {
    const claim = v.persistentVolumeClaim?.claimName;
    if (!claim) continue;
    const pv = await claimVolume(client, pod.metadata!.namespace!, claim);
    const local = pv && nodeLocalVolume(pv, node);
    if (local?.node === node) return local;
  }
  return undefined;
}
