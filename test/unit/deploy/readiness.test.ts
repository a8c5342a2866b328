import { deploymentHealth, healthOf, ingressHealth, pvcHealth, serviceHealth, statefulSetHealth } from '../../../src/deploy/readiness';
import { obj } from './fixtures';

const deploy = (spec: any, status: any, generation = 2) => obj('Deployment', 'web', { metadata: { name: 'web', generation }, spec, status });
const sts = (spec: any, status: any, generation = 1) => obj('StatefulSet', 'db', { metadata: { name: 'db', generation }, spec, status });

describe('Deployment readiness', () => {
  it('waits until the controller observed the current generation', () => {
    expect(deploymentHealth(deploy({ replicas: 2 }, { observedGeneration: 1, updatedReplicas: 2, replicas: 2, availableReplicas: 2 })).state).toBe('progressing');
  });
  it('waits when the watch shows an older generation than we applied', () => {
    const h = deploymentHealth(deploy({ replicas: 2 }, { observedGeneration: 2, updatedReplicas: 2, replicas: 2, availableReplicas: 2 }), 3);
    expect(h).toEqual({ state: 'progressing', message: 'waiting for the applied spec to be visible' });
  });
  it('waits for updated, then old replicas gone, then available', () => {
    expect(deploymentHealth(deploy({ replicas: 3 }, { observedGeneration: 2, updatedReplicas: 1, replicas: 3, availableReplicas: 3 })).message).toBe('1/3 replicas updated');
    expect(deploymentHealth(deploy({ replicas: 3 }, { observedGeneration: 2, updatedReplicas: 3, replicas: 4, availableReplicas: 3 })).message).toBe(
      '1 old replica(s) pending termination',
    );
    expect(deploymentHealth(deploy({ replicas: 3 }, { observedGeneration: 2, updatedReplicas: 3, replicas: 3, availableReplicas: 2 })).message).toBe('2/3 replicas available');
  });
  it('is ready when all replicas are updated and available', () => {
    expect(deploymentHealth(deploy({ replicas: 2 }, { observedGeneration: 2, updatedReplicas: 2, replicas: 2, availableReplicas: 2 }))).toEqual({
      state: 'ready',
      message: '2/2 available',
    });
  });
  it('defaults replicas to 1', () => {
    expect(deploymentHealth(deploy({}, { observedGeneration: 2, updatedReplicas: 1, replicas: 1, availableReplicas: 1 })).state).toBe('ready');
  });
  it('fails on ProgressDeadlineExceeded', () => {
    const d = deploy({ replicas: 1 }, { observedGeneration: 2, conditions: [{ type: 'Progressing', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-1" has timed out progressing.' }] });
    expect(deploymentHealth(d).state).toBe('failed');
  });
});

describe('StatefulSet readiness', () => {
  it('waits for ready replicas', () => {
    expect(statefulSetHealth(sts({ replicas: 1 }, { observedGeneration: 1, readyReplicas: 0, currentRevision: 'a', updateRevision: 'a' })).message).toBe('0/1 replicas ready');
  });
  it('waits until currentRevision reaches updateRevision', () => {
    const h = statefulSetHealth(sts({ replicas: 2 }, { observedGeneration: 1, readyReplicas: 2, updatedReplicas: 1, currentRevision: 'a', updateRevision: 'b' }));
    expect(h.state).toBe('progressing');
    expect(h.message).toMatch(/rolling update: 1\/2/);
  });
  it('is ready when revisions match and replicas are ready', () => {
    expect(statefulSetHealth(sts({ replicas: 1 }, { observedGeneration: 1, readyReplicas: 1, currentRevision: 'b', updateRevision: 'b' })).state).toBe('ready');
  });
  it('honours a partitioned rolling update', () => {
    const s = sts(
      { replicas: 3, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } },
      { observedGeneration: 1, readyReplicas: 3, updatedReplicas: 1, currentRevision: 'a', updateRevision: 'b' },
    );
    expect(statefulSetHealth(s).state).toBe('ready');
  });
});

describe('PVC readiness', () => {
  const pvc = (phase?: string, storageClassName?: string) => obj('PersistentVolumeClaim', 'data', { spec: { storageClassName }, status: phase ? { phase } : undefined });
  const wffc = obj('StorageClass', 'local-path', { volumeBindingMode: 'WaitForFirstConsumer' } as any, 'storage.k8s.io/v1');
  const immediate = obj('StorageClass', 'fast', { volumeBindingMode: 'Immediate' } as any, 'storage.k8s.io/v1');

  it('is ready when Bound', () => expect(pvcHealth(pvc('Bound')).state).toBe('ready'));
  it('counts Pending with WaitForFirstConsumer as ready (binds when a pod uses it)', () => {
    expect(pvcHealth(pvc('Pending', 'local-path'), { storageClass: wffc }).state).toBe('ready');
  });
  it('waits on Pending with immediate binding', () => expect(pvcHealth(pvc('Pending', 'fast'), { storageClass: immediate }).state).toBe('progressing'));
  it('fails at once when the StorageClass does not exist', () => {
    expect(pvcHealth(pvc('Pending', 'nope'), { storageClass: null })).toEqual({
      state: 'failed',
      message: 'StorageClass "nope" does not exist, so the claim can never bind',
    });
  });
  it('fails when Lost', () => expect(pvcHealth(pvc('Lost')).state).toBe('failed'));
});

describe('Service readiness', () => {
  const svc = (spec: any) => obj('Service', 'web', { spec });
  const slice = (ready: boolean[]) => obj('EndpointSlice', 's', { endpoints: ready.map((r) => ({ conditions: { ready: r } })) } as any, 'discovery.k8s.io/v1');
  it('waits for a ready endpoint', () => {
    expect(serviceHealth(svc({ selector: { app: 'web' } }), [slice([false])]).state).toBe('progressing');
    expect(serviceHealth(svc({ selector: { app: 'web' } }), [slice([false, true]), slice([true])])).toEqual({ state: 'ready', message: '2 endpoint(s)' });
  });
  it('does not wait for ExternalName or selector-less Services', () => {
    expect(serviceHealth(svc({ type: 'ExternalName', externalName: 'db.example.com' }), []).state).toBe('ready');
    expect(serviceHealth(svc({}), []).state).toBe('ready');
  });
  it('waits for a LoadBalancer address', () => {
    expect(serviceHealth(svc({ type: 'LoadBalancer', selector: { a: 'b' } }), [slice([true])]).state).toBe('progressing');
  });
});

describe('Ingress readiness', () => {
  const ing = (status?: any) => obj('Ingress', 'web', { status });
  it('is ready once the controller published an address', () => {
    expect(ingressHealth(ing({ loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } }))).toEqual({ state: 'ready', message: 'address 127.0.0.1' });
  });
  it('waits without an address, unless an HTTP probe saw it routed', () => {
    expect(ingressHealth(ing()).state).toBe('progressing');
    expect(ingressHealth(ing(), { routed: { ok: true, detail: 'HTTP 200' } }).state).toBe('ready');
    expect(ingressHealth(ing(), { routed: { ok: false, detail: 'HTTP 404' } }).state).toBe('progressing');
  });
});

it('treats kinds without a rule as ready once applied', () => {
  expect(healthOf(obj('ConfigMap', 'c'))).toEqual({ state: 'ready', message: 'applied' });
});
