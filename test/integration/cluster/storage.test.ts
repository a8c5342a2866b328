/**
 * Dynamic provisioning with the default StorageClass: a PVC that names no
 * class binds (local-path), and data written on it survives deleting the pod.
 */
import { busyboxPod, Cluster, connect, createNamespace, deleteNamespace, suffix, waitFor, waitPodDone, waitPodReady } from './k8s';

jest.setTimeout(5 * 60_000);

let c: Cluster;
let ns: string | undefined;

beforeAll(async () => {
  c = connect();
  ns = await createNamespace(c, 'cluster-pvc');
});
afterAll(() => deleteNamespace(c, ns));

test('data written on a PVC survives deleting the pod', async () => {
  const namespace = ns!;
  const token = `persisted-${suffix()}`;
  await c.core.createNamespacedPersistentVolumeClaim({
    namespace,
    body: { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '16Mi' } } } },
  });

  await c.core.createNamespacedPod({
    namespace,
    body: busyboxPod('writer', `echo ${token} > /data/token && exec /bin/busybox sleep 3600`, { restartPolicy: 'Always', claim: 'data' }),
  });
  const writer = await waitPodReady(c, namespace, 'writer');

  const pvc = await waitFor('PVC data Bound', 60_000, async () => {
    const p = await c.core.readNamespacedPersistentVolumeClaim({ name: 'data', namespace });
    return p.status?.phase === 'Bound' ? p : false;
  });
  expect(pvc.spec?.storageClassName).toBe('local-path'); // filled in by the default StorageClass
  const pv = await c.core.readPersistentVolume({ name: pvc.spec!.volumeName! });
  expect(pv.spec?.storageClassName).toBe('local-path');

  await c.core.deleteNamespacedPod({ name: 'writer', namespace, gracePeriodSeconds: 0 });
  await waitFor('writer pod deleted', 60_000, async () => {
    try {
      await c.core.readNamespacedPod({ name: 'writer', namespace });
      return false;
    } catch {
      return true;
    }
  });

  await c.core.createNamespacedPod({ namespace, body: busyboxPod('reader', 'cat /data/token', { claim: 'data' }) });
  const { phase, log } = await waitPodDone(c, namespace, 'reader');
  expect(phase).toBe('Succeeded');
  expect(log.trim()).toBe(token);
  // A different pod (new uid) read it: the data lived on the volume, not in the container.
  const reader = await c.core.readNamespacedPod({ name: 'reader', namespace });
  expect(reader.metadata?.uid).not.toBe(writer.metadata?.uid);
});
