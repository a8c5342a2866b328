import { randomBytes } from 'node:crypto';
import type { WatchHandle } from '../kube/client';
import type { KObject } from '../kube/types';
import { Kube, podRef } from './kube';
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

export async function startServiceProbe(
  kube: Kube,
  namespace: string,
  url: string,
  image: string,
  timeoutMs = 60_000,
  avoidNode?: string,
): Promise<ServiceProbe> {
  const name = `berth-verify-probe-${randomBytes(3).toString('hex')}`;
  const tally = new Tally(`Service ${url}`);
  await kube.client.create(probePod(name, namespace, image, url, avoidNode) as KObject);
  let log: WatchHandle | undefined;
  const remove = async () => {
    log?.stop();
    await kube.client.delete(podRef(namespace, name), 'Background', 0).catch(() => undefined);
  };
  const unregister = registerCleanup(remove);
  const cleanup = async () => {
    unregister();
    await remove();
  };
  try {
    const w = await ResourceWatch.pods(kube.client, namespace, `${PROBE_LABEL}=true`);
    try {
      await w.until((ps) => ps.some((p) => p.metadata?.name === name && p.status?.phase === 'Running'), {
        timeoutMs,
        what: `probe pod ${name} (image ${image}) running`,
        fail: (ps) =>
          ps
            .filter((p) => p.metadata?.name === name)
            .map((p) => hopelessReason(p, 1))
            .find(Boolean),
        describe: (ps) => describePods(ps.filter((p) => p.metadata?.name === name)),
      });
    } finally {
      w.stop();
    }
    log = await kube.client.followLog(namespace, name, 'probe', (line) => {
      if (line.startsWith('ok ')) tally.record(true);
      else if (line.startsWith('fail ')) tally.record(false, line.replace(/^fail \d+ ?/, '').trim() || 'request failed');
    });
  } catch (e) {
    await cleanup();
    throw e;
  }
  return { tally, pod: name, stop: cleanup };
}
