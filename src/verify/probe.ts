import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import { createInterface } from 'node:readline';
import * as k8s from '@kubernetes/client-node';
import type { Kube } from './kube';
import { Tally } from './traffic';
import { ResourceWatch } from './watch';
import { hopelessReason, describePods } from './pods';
import { PROBE_LABEL, probePod } from './probe-pod';
import { registerCleanup } from './cleanup';

/**
 * Traffic "through the Service", measured honestly: a throw-away busybox pod
 * inside the cluster requests http://<service ClusterIP>:<port><path> in a
 * loop, so every request goes through the Service's virtual IP (kube-proxy)
 * to whichever pods are ready, like another workload in the cluster would. It prints
 * one line per request; verify follows its log and tallies the lines.
 */

export interface ServiceProbe {
  tally: Tally;
  pod: string;
  stop(): Promise<void>;
}

export async function startServiceProbe(kube: Kube, namespace: string, url: string, image: string, timeoutMs = 60_000): Promise<ServiceProbe> {
  const name = `berth-verify-probe-${randomBytes(3).toString('hex')}`;
  const tally = new Tally(`Service ${url}`);
  await kube.core.createNamespacedPod({ namespace, body: probePod(name, namespace, image, url) });
  let logAbort: AbortController | undefined;
  const remove = async () => {
    logAbort?.abort();
    await kube.core.deleteNamespacedPod({ name, namespace, gracePeriodSeconds: 0 }).catch(() => undefined);
  };
  const unregister = registerCleanup(remove);
  const cleanup = async () => {
    unregister();
    await remove();
  };
  try {
    const w = await ResourceWatch.pods(kube.kc, kube.core, namespace, `${PROBE_LABEL}=true`);
    try {
      await w.until((ps) => ps.some((p) => p.metadata?.name === name && p.status?.phase === 'Running'), {
        timeoutMs,
        what: `probe pod ${name} (image ${image}) running`,
        fail: (ps) => ps.filter((p) => p.metadata?.name === name).map((p) => hopelessReason(p, 1)).find(Boolean),
        describe: (ps) => describePods(ps.filter((p) => p.metadata?.name === name)),
      });
    } finally {
      w.stop();
    }
    logAbort = await followLog(kube.kc, namespace, name, (line) => {
      if (line.startsWith('ok ')) tally.record(true);
      else if (line.startsWith('fail ')) tally.record(false, line.replace(/^fail \d+ ?/, '').trim() || 'request failed');
    });
  } catch (e) {
    await cleanup();
    throw e;
  }
  return { tally, pod: name, stop: cleanup };
}

/**
 * Follow a container log line by line. Our own request (not client-node's
 * Log, whose internal stream throws an unhandled error when aborted), so
 * stopping or a dropped connection just ends the stream.
 */
async function followLog(kc: k8s.KubeConfig, namespace: string, pod: string, onLine: (line: string) => void): Promise<AbortController> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('kubeconfig has no current cluster');
  const url = new URL(`${cluster.server}/api/v1/namespaces/${namespace}/pods/${pod}/log?container=probe&follow=true`);
  const opts: https.RequestOptions = { method: 'GET', headers: {} };
  await kc.applyToHTTPSOptions(opts);
  const abort = new AbortController();
  const mod = url.protocol === 'https:' ? https : http;
  await new Promise<void>((resolve, reject) => {
    const req = mod.request(url, { ...opts, signal: abort.signal }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`log of probe pod ${pod}: HTTP ${res.statusCode}`));
        return;
      }
      res.on('error', () => undefined);
      createInterface(res).on('line', onLine).on('error', () => undefined);
      resolve();
    });
    req.on('error', (e) => (abort.signal.aborted ? undefined : reject(e)));
    req.end();
  });
  return abort;
}
