/**
 * The local cluster runs real containers and gives Services working DNS
 * names and ClusterIPs: a pod serves HTTP, and another pod reaches it by the
 * Service's DNS name (short and fully qualified).
 */
import type { V1Service } from '@kubernetes/client-node';
import { apply, busyboxPod, namespaceForFile, suffix, tokenWebPod, waitPodDone, waitPodReady } from './k8s';

jest.setTimeout(5 * 60_000);

const ns = namespaceForFile('cluster-svc');

test('a pod runs, and a Service is reachable by its DNS name from another pod', async () => {
  const namespace = ns();
  const token = `served-by-${suffix()}`;
  // On node 1: node 1's own pod network (10.88.0.0/16); extra nodes are test/integration/nodes/.
  await apply(namespace, tokenWebPod(token, 'berth-local'));
  const pod = await waitPodReady(namespace, 'web');
  expect(pod.status?.podIP).toMatch(/^10\.88\./);
  expect(pod.spec?.nodeName).toBe('berth-local');

  const svc = await apply<V1Service>(namespace, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web' },
    spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
  });
  expect(svc.spec?.clusterIP).toMatch(/^10\.96\./);

  // The client fetches by the short name (resolv.conf search list) and the FQDN, and
  // reports the address each name resolves to. Retries cover the moment before
  // kube-proxy has programmed the new Service. (Debian's static busybox wget segfaults
  // with -T, so `timeout` bounds each try.)
  const fqdn = `web.${namespace}.svc.cluster.local`;
  const resolve = (name: string) => `$(/bin/busybox nslookup ${name} 2>/dev/null | /bin/busybox awk '/^Name:/{n=1} n && /^Address/{print $2; exit}')`;
  const fetch = (name: string) => `$(/bin/busybox timeout 3 /bin/busybox wget -q -O - http://${name}/)`;
  const script = [
    'i=0',
    'while [ $i -lt 30 ]; do',
    `  if a=${fetch('web')} && b=${fetch(fqdn)}; then break; fi`,
    '  i=$((i+1)); /bin/busybox sleep 1',
    'done',
    `echo "short-ip=${resolve('web')}"; echo "fqdn-ip=${resolve(fqdn)}"; echo "short=$a"; echo "fqdn=$b"`,
  ].join('\n');
  await apply(namespace, busyboxPod('client', script));
  const { phase, log } = await waitPodDone(namespace, 'client');
  expect(phase).toBe('Succeeded');
  // Both names resolved to the Service's ClusterIP, and kube-proxy forwarded it to the pod.
  expect(log).toContain(`short-ip=${svc.spec!.clusterIP}\n`);
  expect(log).toContain(`fqdn-ip=${svc.spec!.clusterIP}\n`);
  expect(log).toContain(`short=${token}\n`);
  expect(log).toContain(`fqdn=${token}\n`);
});
