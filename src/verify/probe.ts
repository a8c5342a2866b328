import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { createInterface } from 'node:readline';
import * as k8s from '@kubernetes/client-node';
import type { Kube } from './kube';
import { Tally } from './traffic';
import { ResourceWatch } from './watch';
import { hopelessReason, describePods } from './pods';

/**
 * Traffic "through the Service", measured honestly: a throw-away busybox pod
 * inside the cluster requests http://<service>.<ns>.svc:<port><path> in a loop,
 * so every request goes through cluster DNS and the Service's virtual IP
 * (kube-proxy), exactly like another workload in the cluster would. It prints
 * one line per request; verify follows its log and tallies the lines.
 */

export const PROBE_LABEL = 'berth.dev/verify-probe';

/** busybox on this cluster: `berth.local/busybox:1.35` with BERTH_IMAGES=local, else docker.io busybox. */
export function defaultProbeImage(env = process.env): string {
  if (env.BERTH_PROBE_IMAGE) return env.BERTH_PROBE_IMAGE;
  return env.BERTH_IMAGES === 'local' ? 'berth.local/busybox:1.35' : 'busybox:1.36';
}

export function probeScript(url: string, intervalSeconds = 0.2): string {
  // `wget -T 2` bounds each request; exit status covers connect errors and HTTP >= 400.
  return [
    'i=0',
    'while true; do',
    '  i=$((i+1))',
    `  if wget -q -T 2 -O /dev/null '${url}' 2>/tmp/err; then echo "ok $i"; else echo "fail $i $(head -c 120 /tmp/err | tr '\\n' ' ')"; fi`,
    `  sleep ${intervalSeconds}`,
    'done',
  ].join('\n');
}

export function probePod(name: string, namespace: string, image: string, url: string): k8s.V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { [PROBE_LABEL]: 'true' } },
    spec: {
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: 0,
      automountServiceAccountToken: false,
      securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'probe',
          image,
          imagePullPolicy: 'IfNotPresent',
          command: ['sh', '-c', probeScript(url)],
          resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '32Mi' } },
          securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: false, capabilities: { drop: ['ALL'] } },
        },
      ],
    },
  };
}

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
