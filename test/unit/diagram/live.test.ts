import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseManifest } from '../../../src/dist';
import { buildDiagram, Diagram, toDot } from '../../../src/diagram';
import { LiveState, pvcHost, withLiveState } from '../../../src/diagram/live';
import { verdictLine } from '../../../src/diagram/verdict';
import { loadApp, renderApp } from '../../../src/synth';

// Recorded-style objects (field shapes as the API server returns them) for the demo app.
const fixture = (name: string): LiveState => JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8'));
const demo = (): Diagram => {
  const [r] = renderApp('demo', loadApp('demo'));
  return buildDiagram('demo', parseManifest(r.yaml, r.fileName, 'demo'));
};
const find = (d: Diagram, id: string) => d.nodes.find((n) => n.id === id) ?? d.podGroups.flatMap((g) => g.pods).find((p) => p.id === id);
const edges = (d: Diagram) => d.edges.map((e) => `${e.from} -${e.label}-> ${e.to}`);

describe('two nodes, one web pod crash-looping', () => {
  const d = withLiveState(demo(), fixture('live-demo-two-nodes.json'), 'verify OK at 2026-11-30T14:00:00Z: 6 passed, 0 failed, 0 skipped');

  test('pods are grouped by the node they run on, each with ready state and restarts', () => {
    expect(d.podGroups.map((g) => [g.id, g.host, g.pods.map((p) => p.title)])).toEqual([
      ['pods:demo-db@node-a', 'node-a', ['Pod demo-db-0']],
      ['pods:demo-web@node-a', 'node-a', ['Pod demo-web-7c9d8f6b5d-fghij']],
      ['pods:demo-web@node-b', 'node-b', ['Pod demo-web-7c9d8f6b5d-abcde']],
    ]);
    expect(find(d, 'pod:demo-web:demo-web-7c9d8f6b5d-fghij')).toMatchObject({
      details: ['not ready (CrashLoopBackOff), restarts 3', 'on node-a'],
      health: 'bad',
    });
    expect(find(d, 'pod:demo-web:demo-web-7c9d8f6b5d-abcde')).toMatchObject({ details: ['ready, restarts 0', 'on node-b'], health: 'ok' });
    expect(find(d, 'pod:demo-db:0')).toMatchObject({ title: 'Pod demo-db-0', health: 'ok' });
  });

  test('Services show their ready endpoints; workloads their ready pods', () => {
    expect(find(d, 'service:demo-web')).toMatchObject({ details: ['ClusterIP :8081', 'endpoints: 1/2 ready'], health: 'warn' });
    expect(find(d, 'service:demo-db')).toMatchObject({ details: ['ClusterIP :27017 → mongodb', 'endpoints: 1/1 ready'], health: 'ok' });
    expect(find(d, 'deployment:demo-web')).toMatchObject({ details: ['replicas: 2', 'ready: 1/2'], health: 'warn' });
    expect(find(d, 'statefulset:demo-db')).toMatchObject({ health: 'ok' });
  });

  test('the PVC is bound, on the node of its PV', () => {
    expect(find(d, 'pvc:data-demo-db-0')).toMatchObject({ details: ['1Gi, default class', 'Bound on node-a'], health: 'ok' });
  });

  test('edges to a workload’s pods reach every node group; per-pod edges keep their pod', () => {
    expect(edges(d)).toEqual(
      expect.arrayContaining([
        'service:demo-web -selector-> pods:demo-web@node-a',
        'service:demo-web -selector-> pods:demo-web@node-b',
        'pods:demo-web@node-a -envFrom-> configmap:demo-web-config',
        'pods:demo-web@node-b -secretKeyRef-> secret:demo-db-credentials',
        'pod:demo-db:0 -volume-> pvc:data-demo-db-0',
      ]),
    );
    expect(d.edges.some((e) => e.from === 'pods:demo-web' || e.to === 'pods:demo-web')).toBe(false);
  });

  test('the title notes where the state came from and the verify verdict; DOT draws node boxes', () => {
    expect(d.notes).toEqual([
      'live: context berth-local, namespace default, 2026-11-30T14:12:00Z',
      'verify OK at 2026-11-30T14:00:00Z: 6 passed, 0 failed, 0 skipped',
    ]);
    const dot = toDot(d);
    expect(dot).toContain('subgraph "cluster_host_node-a"');
    expect(dot).toContain('subgraph "cluster_host_node-b"');
    expect(dot).toContain('class="node-pod health-bad"');
  });
});

describe('a rollout in trouble: pod terminating, pod unscheduled, database pod gone, PVC pending', () => {
  const d = withLiveState(demo(), fixture('live-demo-pending.json'));

  test('unscheduled pods get their own group; a missing StatefulSet pod stays visible as missing', () => {
    expect(d.podGroups.map((g) => [g.id, g.pods.map((p) => p.details[0])])).toEqual([
      ['pods:demo-db', ['missing']],
      ['pods:demo-web@node-a', ['terminating, restarts 0']],
      ['pods:demo-web', ['not ready (Pending), restarts 0']],
    ]);
    expect(d.podGroups[2].title).toBe('pods of demo-web (not scheduled)');
    expect(find(d, 'deployment:demo-web')).toMatchObject({ details: ['replicas: 2', 'ready: 0/2'], health: 'bad' });
  });

  test('Endpoints (v1) are the fallback; a Service with neither shows none', () => {
    expect(find(d, 'service:demo-db')!.details).toContain('endpoints: 0/1 ready');
    expect(find(d, 'service:demo-db-headless')).toMatchObject({ health: 'bad' });
    expect(find(d, 'service:demo-db-headless')!.details).toContain('endpoints: none');
  });

  test('a pending PVC shows the node the scheduler picked', () => {
    expect(find(d, 'pvc:data-demo-db-0')).toMatchObject({ health: 'warn' });
    expect(find(d, 'pvc:data-demo-db-0')!.details).toContain('Pending on node-b');
  });
});

test('pvcHost prefers the PV node affinity over the selected-node annotation', () => {
  const live = fixture('live-demo-two-nodes.json');
  const pvc = { ...live.pvcs[0], metadata: { ...live.pvcs[0].metadata, annotations: { 'volume.kubernetes.io/selected-node': 'elsewhere' } } };
  expect(pvcHost(pvc, live.pvs)).toBe('node-a');
  expect(pvcHost(pvc, [])).toBe('elsewhere');
  expect(pvcHost({ ...pvc, metadata: { name: 'x' } }, [])).toBeUndefined();
});

test('verdictLine counts checks', () => {
  const check = (status: 'pass' | 'fail' | 'skip') => ({ id: status, check: status, target: 't', status, reason: '', durationMs: 1, details: {} });
  expect(
    verdictLine({
      schemaVersion: 1,
      app: 'demo',
      namespace: 'default',
      context: 'c',
      startedAt: '2026-11-30T14:00:00Z',
      durationMs: 1,
      ok: false,
      checks: [check('pass'), check('fail'), check('skip'), check('pass')],
      timings: { totalMs: 1, waitingOnKubernetesMs: 0, observingMs: 0, berthMs: 1, phases: [] },
    }),
  ).toBe('verify FAILED at 2026-11-30T14:00:00Z: 2 passed, 1 failed, 1 skipped');
});
