import type { V1Pod } from '@kubernetes/client-node';

/** The in-cluster traffic probe's pod spec (pure, unit-tested); probe.ts runs it. */

export const PROBE_LABEL = 'berth.dev/verify-probe';

export function probeScript(url: string, intervalMicros = 200_000): string {
  // Applets are called through `busybox` (the local image links only a few);
  // no files are written (the image may lack /tmp). `timeout 2` bounds each
  // request (Debian's busybox 1.35 wget segfaults with its own -T); the exit
  // status covers connect errors, timeouts and HTTP >= 400.
  return [
    'i=0',
    'while true; do',
    '  i=$((i+1))',
    `  if err=$(busybox timeout 2 busybox wget -q -O /dev/null '${url}' 2>&1); then echo "ok $i"; else echo "fail $i" $err; fi`,
    `  busybox usleep ${intervalMicros}`,
    'done',
  ].join('\n');
}

/** `avoidNode`: keep the probe off the node a check is about to drain or stop. */
export function probePod(name: string, namespace: string, image: string, url: string, avoidNode?: string): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { [PROBE_LABEL]: 'true' } },
    spec: {
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: 0,
      automountServiceAccountToken: false,
      ...(avoidNode
        ? {
            affinity: {
              nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                  nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'NotIn', values: [avoidNode] }] }],
                },
              },
            },
          }
        : {}),
      securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'probe',
          image,
          imagePullPolicy: 'IfNotPresent',
          command: ['/bin/busybox', 'sh', '-c', probeScript(url)],
          resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '32Mi' } },
          securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: false, capabilities: { drop: ['ALL'] } },
        },
      ],
    },
  };
}
