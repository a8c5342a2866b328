import { Explainer, timeoutText } from '../../../src/deploy/wait/explain';
import { sendJson, startFakeApi } from '../support/fake-api';
import type { KObject } from '../../../src/kube/types';

const pod = (name: string, ready: boolean, waiting?: string): KObject =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'shop' },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
      containerStatuses: [{ name: 'web', restartCount: 2, state: waiting ? { waiting: { reason: waiting } } : { running: {} } }],
    },
  }) as unknown as KObject;

const waiting = [
  { name: 'Deployment shop/web', health: { state: 'progressing' as const, message: '0/2 replicas available' } },
  { name: 'StatefulSet shop/db', health: { state: 'progressing' as const, message: '0/1 replicas ready' } },
];

describe('the deploy timeout text', () => {
  it("lists each waiting workload's pods, and says when a workload has none", () => {
    const text = timeoutText(
      300_000,
      waiting,
      [],
      [],
      [
        { workload: 'Deployment shop/web', name: 'web', namespace: 'shop', pods: [pod('web-1', false, 'CrashLoopBackOff'), pod('web-2', true)] },
        { workload: 'StatefulSet shop/db', name: 'db', namespace: 'shop', pods: [] },
      ],
    );
    expect(text).toBe(
      [
        'timed out after 300s waiting for:',
        '  Deployment shop/web: 0/2 replicas available',
        '  StatefulSet shop/db: 0/1 replicas ready',
        'their pods:',
        '  Deployment shop/web: web-1: Running not-ready (CrashLoopBackOff) restarts=2; web-2: Running ready restarts=2',
        '  StatefulSet shop/db: no pods seen',
      ].join('\n'),
    );
  });

  it("ends with the controllers' warnings, which say why a workload has no pods", () => {
    const text = timeoutText(
      60_000,
      waiting.slice(1),
      [],
      [],
      [{ workload: 'StatefulSet shop/db', name: 'db', namespace: 'shop', pods: [] }],
      ['StatefulSet db: FailedCreate: create Pod db-0 in StatefulSet db failed error: pods "db-0" is forbidden: exceeded quota: small'],
    );
    expect(text.split('\n').slice(-2)).toEqual([
      "recent warnings of the workloads' controllers:",
      '  StatefulSet db: FailedCreate: create Pod db-0 in StatefulSet db failed error: pods "db-0" is forbidden: exceeded quota: small',
    ]);
  });
});

describe('the deploy timeout, read from the cluster', () => {
  it("names the latest warning of a pod-less workload's own controller, not of objects that only share its name", async () => {
    const ev = (kind: string, name: string, reason: string, message: string, at: string) => ({
      involvedObject: { kind, name, namespace: 'shop' },
      type: 'Warning',
      reason,
      message,
      lastTimestamp: at,
    });
    const api = await startFakeApi((req, res, url) => {
      if (url.pathname === '/api/v1')
        return sendJson(res, 200, {
          kind: 'APIResourceList',
          groupVersion: 'v1',
          resources: [{ name: 'events', kind: 'Event', namespaced: true, verbs: ['list'] }],
        });
      if (url.pathname !== '/api/v1/namespaces/shop/events') return sendJson(res, 404, { kind: 'Status', code: 404, message: 'not found' });
      expect(url.searchParams.get('fieldSelector')).toBe('type=Warning');
      sendJson(res, 200, {
        kind: 'EventList',
        items: [
          ev('ConfigMap', 'db-config', 'Odd', 'not about the StatefulSet', '2026-11-30T10:00:09Z'),
          ev('StatefulSet', 'db', 'FailedCreate', 'pods "db-0" is forbidden: exceeded quota: small', '2026-11-30T10:00:05Z'),
          ev('StatefulSet', 'db', 'FailedCreate', 'pods "db-0" is forbidden: error looking up service account shop/default', '2026-11-30T10:00:01Z'),
          ev('ReplicaSet', 'web-7d9f', 'FailedCreate', 'pods "web-7d9f-x" is forbidden: exceeded quota: small', '2026-11-30T10:00:07Z'),
        ],
      });
    });
    const client = await api.client();
    try {
      const err = await new Explainer(client).timeout(
        60_000,
        [
          { workload: 'StatefulSet shop/db', name: 'db', namespace: 'shop', pods: [] },
          { workload: 'Deployment shop/web', name: 'web', namespace: 'shop', pods: [] },
        ],
        () => ({ waiting, problems: [] }),
      );
      expect(err.message.split('\n').slice(-3)).toEqual([
        "recent warnings of the workloads' controllers:",
        '  StatefulSet db: FailedCreate: pods "db-0" is forbidden: exceeded quota: small',
        '  ReplicaSet web-7d9f: FailedCreate: pods "web-7d9f-x" is forbidden: exceeded quota: small',
      ]);
    } finally {
      client.close();
      await api.close();
    }
  });
});
