import { customResourceHealth, isCustomResource } from '../../../src/health/custom';
import { DEFAULT_STORAGE_CLASS_ANNOTATION, storageClassFor } from '../../../src/contract';
import { deploymentHealth, healthOf, ingressHealth, isAwaited, pvcHealth, serviceHealth, statefulSetHealth } from '../../../src/health/readiness';
import { obj } from '../deploy/fixtures';

const deploy = (spec: any, status: any, generation = 2) => obj('Deployment', 'web', { metadata: { name: 'web', generation }, spec, status });
const sts = (spec: any, status: any, generation = 1) => obj('StatefulSet', 'db', { metadata: { name: 'db', generation }, spec, status });

describe('Deployment readiness', () => {
  it('waits until the controller observed the current generation', () => {
    expect(deploymentHealth(deploy({ replicas: 2 }, { observedGeneration: 1, updatedReplicas: 2, replicas: 2, availableReplicas: 2 })).state).toBe(
      'progressing',
    );
  });
  it('waits when the watch shows an older generation than we applied', () => {
    const h = deploymentHealth(deploy({ replicas: 2 }, { observedGeneration: 2, updatedReplicas: 2, replicas: 2, availableReplicas: 2 }), 3);
    expect(h).toEqual({ state: 'progressing', message: 'waiting for the applied spec to be visible' });
  });
  it('waits for updated, then old replicas gone, then available', () => {
    expect(deploymentHealth(deploy({ replicas: 3 }, { observedGeneration: 2, updatedReplicas: 1, replicas: 3, availableReplicas: 3 })).message).toBe(
      '1/3 replicas updated',
    );
    expect(deploymentHealth(deploy({ replicas: 3 }, { observedGeneration: 2, updatedReplicas: 3, replicas: 4, availableReplicas: 3 })).message).toBe(
      '1 old replica(s) pending termination',
    );
    expect(deploymentHealth(deploy({ replicas: 3 }, { observedGeneration: 2, updatedReplicas: 3, replicas: 3, availableReplicas: 2 })).message).toBe(
      '2/3 replicas available',
    );
  });
  it('waits out a scale-down whose ReplicaSet still counts the extra pods (seen: "3/2 available" reported ready)', () => {
    const h = deploymentHealth(deploy({ replicas: 2 }, { observedGeneration: 2, updatedReplicas: 3, replicas: 3, availableReplicas: 3 }));
    expect(h).toEqual({ state: 'progressing', message: '1 replica(s) above 2 pending termination' });
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
    const d = deploy(
      { replicas: 1 },
      {
        observedGeneration: 2,
        conditions: [{ type: 'Progressing', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-1" has timed out progressing.' }],
      },
    );
    expect(deploymentHealth(d).state).toBe('failed');
  });
});

describe('StatefulSet readiness', () => {
  it('waits for ready replicas', () => {
    expect(statefulSetHealth(sts({ replicas: 1 }, { observedGeneration: 1, readyReplicas: 0, currentRevision: 'a', updateRevision: 'a' })).message).toBe(
      '0/1 replicas ready',
    );
  });
  it('waits until currentRevision reaches updateRevision', () => {
    const h = statefulSetHealth(
      sts({ replicas: 2 }, { observedGeneration: 1, readyReplicas: 2, updatedReplicas: 1, currentRevision: 'a', updateRevision: 'b' }),
    );
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
  const pvc = (phase?: string, storageClassName?: string) =>
    obj('PersistentVolumeClaim', 'data', { spec: { storageClassName }, status: phase ? { phase } : undefined });
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
  it('waits for a hand-made PersistentVolume when storageClassName is "" (no class, never the default)', () => {
    const h = pvcHealth(pvc('Pending', ''), { storageClass: null });
    expect(h.state).toBe('progressing');
    expect(h.message).toContain('pre-created PersistentVolume');
  });
});

describe('storageClassFor', () => {
  const cls = (name: string, isDefault = false) =>
    obj('StorageClass', name, isDefault ? { metadata: { name, annotations: { [DEFAULT_STORAGE_CLASS_ANNOTATION]: 'true' } } } : {}, 'storage.k8s.io/v1');
  const classes = [cls('fast'), cls('standard', true)];
  it('gives an unnamed claim the default class, a named one its own, and "" none', () => {
    expect(storageClassFor(classes, undefined)?.metadata.name).toBe('standard');
    expect(storageClassFor(classes, 'fast')?.metadata.name).toBe('fast');
    expect(storageClassFor(classes, 'gone')).toBeUndefined();
    expect(storageClassFor(classes, '')).toBeUndefined();
  });
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

describe('rules key on group and kind', () => {
  const unready = { replicas: 2 };
  const status = { observedGeneration: 1, updatedReplicas: 0, replicas: 0, availableReplicas: 0 };

  it('gives apps/Deployment the Deployment rule', () => {
    const d = obj('Deployment', 'web', { metadata: { name: 'web', generation: 1 }, spec: unready, status });
    expect(healthOf(d)).toEqual({ state: 'progressing', message: '0/2 replicas updated' });
  });
  it('does not give a custom kind named Deployment in another group the apps rule', () => {
    const d = obj('Deployment', 'web', { metadata: { name: 'web', generation: 1 }, spec: unready, status }, 'example.com/v1');
    expect(healthOf(d)).toEqual({ state: 'ready', message: 'applied (no Ready condition reported)' });
  });
  it('judges a Knative Service (kind Service, another group) by its Ready condition, not by endpoints', () => {
    const ksvc = obj(
      'Service',
      'hello',
      {
        metadata: { name: 'hello', generation: 1 },
        spec: { template: {} },
        status: {
          observedGeneration: 1,
          conditions: [
            { type: 'Ready', status: 'Unknown', reason: 'RevisionMissing', message: 'Configuration "hello" is waiting for a Revision to become ready.' },
          ],
        },
      },
      'serving.knative.dev/v1',
    );
    expect(healthOf(ksvc, { slices: [] })).toEqual({
      state: 'progressing',
      message: 'not Ready (Unknown): RevisionMissing: Configuration "hello" is waiting for a Revision to become ready.',
    });
  });
  it('treats built-in kinds without a rule as ready once applied, whatever their conditions', () => {
    const pod = obj('Pod', 'p', { status: { conditions: [{ type: 'Ready', status: 'False' }] } });
    expect(healthOf(pod)).toEqual({ state: 'ready', message: 'applied' });
  });
  it('waits for the rules that can say "not yet", and for custom resources', () => {
    expect(isAwaited(obj('Deployment', 'web'))).toBe(true);
    expect(isAwaited(obj('Ingress', 'web'))).toBe(true);
    expect(isAwaited(obj('Service', 'web'))).toBe(true);
    expect(isAwaited(obj('ConfigMap', 'c'))).toBe(false);
    expect(isAwaited(obj('PodDisruptionBudget', 'web'))).toBe(false);
    expect(isAwaited(obj('Widget', 'w', {}, 'example.com/v1'))).toBe(true);
    expect(isAwaited(obj('Ingress', 'web', {}, 'extensions/v1beta1'))).toBe(false);
  });
});

describe('custom resource readiness (Ready condition and observedGeneration)', () => {
  const cr = (generation: number, status?: any) => obj('Certificate', 'tls', { metadata: { name: 'tls', generation }, status }, 'cert-manager.io/v1');
  const readyCond = (status: string, extra: any = {}) => ({ type: 'Ready', status, ...extra });

  it('is ready when Ready is True for the current generation', () => {
    expect(
      customResourceHealth(cr(2, { observedGeneration: 2, conditions: [readyCond('True', { reason: 'Ready', message: 'Certificate is up to date' })] })),
    ).toEqual({
      state: 'ready',
      message: 'Ready: Ready: Certificate is up to date',
    });
    expect(customResourceHealth(cr(1, { conditions: [readyCond('True')] }))).toEqual({ state: 'ready', message: 'Ready' });
  });
  it('waits while Ready is False or Unknown, saying why', () => {
    expect(
      customResourceHealth(cr(1, { conditions: [readyCond('False', { reason: 'Issuing', message: 'Issuing certificate as Secret does not exist' })] })),
    ).toEqual({
      state: 'progressing',
      message: 'not Ready (False): Issuing: Issuing certificate as Secret does not exist',
    });
    expect(customResourceHealth(cr(1, { conditions: [{ type: 'Ready' }] }))).toEqual({ state: 'progressing', message: 'not Ready (Unknown)' });
  });
  it('waits until the controller observed the current generation', () => {
    const h = customResourceHealth(cr(3, { observedGeneration: 2, conditions: [readyCond('True')] }));
    expect(h).toEqual({ state: 'progressing', message: 'waiting for the controller to observe generation 3 (observed 2)' });
  });
  it('does not trust a Ready condition written for an older generation', () => {
    const h = customResourceHealth(cr(3, { conditions: [readyCond('True', { observedGeneration: 2 })] }));
    expect(h).toEqual({ state: 'progressing', message: 'Ready condition is from generation 2, waiting for generation 3' });
    expect(customResourceHealth(cr(3, { conditions: [readyCond('True', { observedGeneration: 3 })] })).state).toBe('ready');
  });
  it('waits when the watch shows an older generation than was applied', () => {
    expect(customResourceHealth(cr(1, { conditions: [readyCond('True')] }), 2)).toEqual({
      state: 'progressing',
      message: 'waiting for the applied spec to be visible',
    });
  });
  it('fails on Stalled=True and waits on Reconciling=True (kstatus conditions)', () => {
    expect(customResourceHealth(cr(1, { conditions: [{ type: 'Stalled', status: 'True', reason: 'InvalidSpec', message: 'no such issuer' }] }))).toEqual({
      state: 'failed',
      message: 'Stalled: InvalidSpec: no such issuer',
    });
    expect(customResourceHealth(cr(1, { conditions: [{ type: 'Reconciling', status: 'True', reason: 'Progressing' }, readyCond('True')] }))).toEqual({
      state: 'progressing',
      message: 'Reconciling: Progressing',
    });
  });
  it('counts a resource that reports no Ready condition as ready (nothing to wait for)', () => {
    expect(customResourceHealth(cr(1))).toEqual({ state: 'ready', message: 'applied (no Ready condition reported)' });
    expect(customResourceHealth(cr(1, { conditions: [{ type: 'Synced', status: 'True' }] })).state).toBe('ready');
  });
  it('is what healthOf uses for groups Kubernetes does not serve itself', () => {
    expect(isCustomResource(cr(1))).toBe(true);
    expect(isCustomResource(obj('Deployment', 'web'))).toBe(false);
    expect(isCustomResource(obj('Ingress', 'web'))).toBe(false);
    expect(healthOf(cr(2, { observedGeneration: 1 }))).toEqual(customResourceHealth(cr(2, { observedGeneration: 1 })));
  });
});
