/**
 * The local cluster runs real containers and gives Services working DNS
 * names and ClusterIPs: a pod serves HTTP, and another pod reaches it by the
 * Service's DNS name (short and fully qualified).
 */
import { busyboxPod, Cluster, connect, createNamespace, deleteNamespace, suffix, waitPodDone, waitPodReady } from './k8s';

jest.setTimeout(5 * 60_000);

let c: Cluster;
let ns: string | undefined;

beforeAll(async () => {
  c = connect();
  ns = await createNamespace(c, 'cluster-svc');
});
afterAll(() => deleteNamespace(c, ns));

test('a pod runs, and a Service is reachable by its DNS name from another pod', async () => {
  const namespace = ns!;
  const token = `served-by-${suffix()}`;
  await c.core.createNamespacedPod({
    namespace,
    body: busyboxPod('web', `mkdir -p /www && echo ${token} > /www/index.html && exec /bin/busybox httpd -f -p 8080 -h /www`, {
      labels: { app: 'web' },
      restartPolicy: 'Always',
      port: 8080,
    }),
  });
  const pod = await waitPodReady(c, namespace, 'web');
  expect(pod.status?.podIP).toMatch(/^10\.88\./);
  expect(pod.spec?.nodeName).toBe('berth-local');

  const svc = await c.core.createNamespacedService({
    namespace,
    body: { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } },
  });
  expect(svc.spec?.clusterIP).toMatch(/^10\.96\./);

  // Retries cover the moment before kube-proxy has programmed the new Service.
  const fqdn = `web.${namespace}.svc.cluster.local`;
  const script = [
    'i=0',
    'while [ $i -lt 30 ]; do',
    `  a=$(/bin/busybox wget -q -T 2 -O - http://web/ 2>&1) && b=$(/bin/busybox wget -q -T 2 -O - http://${fqdn}/ 2>&1) && break`,
    '  i=$((i+1)); /bin/busybox sleep 1',
    'done',
    `/bin/busybox nslookup ${fqdn} | /bin/busybox grep -A1 "Name:"`,
    'echo "short=$a"; echo "fqdn=$b"',
  ].join('\n');
  await c.core.createNamespacedPod({ namespace, body: busyboxPod('client', script) });
  const { phase, log } = await waitPodDone(c, namespace, 'client');
  expect(phase).toBe('Succeeded');
  expect(log).toContain(`short=${token}`);
  expect(log).toContain(`fqdn=${token}`);
  // The name resolved to the Service's ClusterIP (kube-proxy did the rest).
  expect(log).toContain(svc.spec!.clusterIP!);
});
