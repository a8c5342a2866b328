/**
 * Dynamic provisioning with the default StorageClass: a PVC that names no
 * class binds (local-path), and data written on it survives deleting the pod.
 */
import type { V1PersistentVolume, V1PersistentVolumeClaim } from '@kubernetes/client-node';
import { apply, busyboxPod, exists, get, kubectl, namespaceForFile, suffix, waitFor, waitPodDone, waitPodReady } from './k8s';

jest.setTimeout(5 * 60_000);

const ns = namespaceForFile('cluster-pvc');

test('data written on a PVC survives deleting the pod', async () => {
  const namespace = ns();
  const token = `persisted-${suffix()}`;
  await apply(namespace, {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'data' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '16Mi' } } },
  });

  await apply(namespace, busyboxPod('writer', `echo ${token} > /data/token && exec /bin/busybox sleep 3600`, { restartPolicy: 'Always', claim: 'data' }));
  const writer = await waitPodReady(namespace, 'writer');

  const pvc = await waitFor('PVC data Bound', 60_000, async () => {
    const p = await get<V1PersistentVolumeClaim>(namespace, 'pvc/data');
    return p.status?.phase === 'Bound' ? p : false;
  });
  expect(pvc.spec?.storageClassName).toBe('local-path'); // filled in by the default StorageClass
  const pv = await get<V1PersistentVolume>(namespace, `pv/${pvc.spec!.volumeName}`);
  expect(pv.spec?.storageClassName).toBe('local-path');

  await kubectl(['-n', namespace, 'delete', 'pod', 'writer', '--grace-period=0', '--force']);
  await waitFor('writer pod gone', 60_000, async () => !(await exists(namespace, 'pod/writer')));

  await apply(namespace, busyboxPod('reader', 'cat /data/token', { claim: 'data' }));
  const { phase, log } = await waitPodDone(namespace, 'reader');
  expect(phase).toBe('Succeeded');
  expect(log.trim()).toBe(token);
  // A different pod (new uid) read it: the data lived on the volume, not in the container.
  const reader = await get(namespace, 'pod/reader');
  expect(reader.metadata.uid).not.toBe(writer.metadata?.uid);
});
