/**
 * The ingress controller (Traefik, default IngressClass) is reachable from
 * the host and routes by the Host header.
 */
import * as http from 'node:http';
import type { V1Ingress } from '@kubernetes/client-node';
import { apply, get, INGRESS_PORT, namespaceForFile, suffix, tokenWebPod, waitFor, waitPodReady } from './k8s';

jest.setTimeout(5 * 60_000);

const ns = namespaceForFile('cluster-ing');

function httpGet(host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: INGRESS_PORT, path: '/', headers: { Host: host }, timeout: 3000 }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

test('an Ingress routes a request from the host by its Host header', async () => {
  const namespace = ns();
  const host = `${namespace}.berth.test`;
  const token = `ingress-${suffix()}`;
  await apply(namespace, tokenWebPod(token));
  await waitPodReady(namespace, 'web');
  await apply(namespace, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web' },
    spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
  });
  // No ingressClassName: the default IngressClass (traefik) must be filled in.
  const ing = await apply<V1Ingress>(namespace, {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'web' },
    spec: {
      rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }],
    },
  });
  expect(ing.spec?.ingressClassName).toBe('traefik');

  const res = await waitFor(`GET http://127.0.0.1:${INGRESS_PORT}/ Host: ${host} to reach the pod`, 60_000, async () => {
    const r = await httpGet(host);
    return r.status === 200 && r.body.includes(token) ? r : false;
  });
  expect(res.body.trim()).toBe(token);

  // Another host is not routed to this backend.
  const other = await httpGet(`other-${host}`);
  expect(other.status).toBe(404);
  expect(other.body).not.toContain(token);

  // The controller published an address on the Ingress.
  const published = await waitFor('Ingress status address', 30_000, async () => {
    const i = await get<V1Ingress>(namespace, 'ingress/web');
    return i.status?.loadBalancer?.ingress?.[0]?.ip;
  });
  expect(published).toBe('127.0.0.1');
});
