import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { createInterface } from 'node:readline';
import * as k8s from '@kubernetes/client-node';
import type { Kube } from './kube';
import { Tally } from './traffic';
import { ResourceWatch } from './watch';
import { hopelessReason, describePods } from './pods';
import { PROBE_LABEL, probePod } from './probe-pod';

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
  const cleanup = async () => {
    logAbort?.abort();
    await kube.core.deleteNamespacedPod({ name, namespace, gracePeriodSeconds: 0 }).catch(() => undefined);
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
    const out = new PassThrough();
    createInterface(out).on('line', (line) => {
      if (line.startsWith('ok ')) tally.record(true);
      else if (line.startsWith('fail ')) tally.record(false, line.replace(/^fail \d+ ?/, '').trim() || 'request failed');
    });
    logAbort = await new k8s.Log(kube.kc).log(namespace, name, 'probe', out, { follow: true });
  } catch (e) {
    await cleanup();
    throw e;
  }
  return { tally, pod: name, stop: cleanup };
}
