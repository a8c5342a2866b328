/** fetchLive against a fake API server serving the recorded-style two-node fixture. */
import * as fs from 'node:fs';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { ResolvedContext } from '../../../src/kube/context';
import { KubeClient } from '../../../src/kube/client';
import { parseManifest } from '../../../src/dist';
import { fetchLive } from '../../../src/diagram/fetch-live';
import type { LiveState } from '../../../src/diagram/live';
import { loadApp, renderApp } from '../../../src/synth';

const live: LiveState = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures/live-demo-two-nodes.json'), 'utf8'));
const strip = <T extends object>(o: T) => {
  const { apiVersion: _a, kind: _k, ...rest } = o as T & { apiVersion?: string; kind?: string };
  return rest;
};
const asked: string[] = [];
let server: http.Server;
let base: string;

beforeAll(async () => {
  // An unrelated slice in the namespace: fetchLive must keep only the app's Services' slices.
  const other = { ...live.endpointSlices[0], metadata: { name: 'other-x', namespace: 'default', labels: { 'kubernetes.io/service-name': 'other' } } };
  const routes: Record<string, unknown> = {
    '/api/v1': {
      resources: ['pods', 'persistentvolumeclaims']
        .map((name) => ({ name, kind: name === 'pods' ? 'Pod' : 'PersistentVolumeClaim', namespaced: true, verbs: ['list'] }))
        .concat([{ name: 'persistentvolumes', kind: 'PersistentVolume', namespaced: false, verbs: ['get'] }]),
    },
    '/apis/discovery.k8s.io/v1': { resources: [{ name: 'endpointslices', kind: 'EndpointSlice', namespaced: true, verbs: ['list'] }] },
    '/api/v1/namespaces/default/pods': { items: live.pods.map(strip) },
    '/api/v1/namespaces/default/persistentvolumeclaims': { items: live.pvcs.map(strip) },
    '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices': { items: [...live.endpointSlices, other].map(strip) },
    '/api/v1/persistentvolumes/pvc-0f1e2d3c': live.pvs[0],
  };
  server = http.createServer((req, res) => {
    const u = new URL(req.url!, 'http://x');
    asked.push(`${u.pathname}${u.searchParams.get('labelSelector') ? ` ${u.searchParams.get('labelSelector')}` : ''}`);
    res.setHeader('content-type', 'application/json');
    const body = routes[u.pathname];
    res.statusCode = body ? 200 : 404;
    res.end(JSON.stringify(body ?? { kind: 'Status', code: 404, reason: 'NotFound', message: 'not found' }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

test('reads the app’s pods and PVCs by label, the slices of its Services, and the PVs they are bound to', async () => {
  const ctx: ResolvedContext = {
    files: [],
    contextName: 'fake',
    clusterName: 'fake',
    userName: 'u',
    server: base,
    insecureSkipTlsVerify: false,
    needsClientNodeAuth: false,
  };
  const client = await KubeClient.fromContext(ctx);
  const [r] = renderApp('demo', loadApp('demo'));
  const got = await fetchLive({ objects: parseManifest(r.yaml, r.fileName, 'demo'), client });
  client.close();
  expect(got).toMatchObject({ context: 'fake', namespace: 'default' });
  expect(got.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  expect(got.pods.map((p) => p.metadata.name)).toEqual(live.pods.map((p) => p.metadata.name));
  expect(got.endpointSlices.map((s) => s.metadata.name)).toEqual(live.endpointSlices.map((s) => s.metadata.name));
  expect(got.pvcs.map((p) => p.metadata.name)).toEqual(['data-demo-db-0']);
  expect(got.pvs.map((p) => p.metadata.name)).toEqual(['pvc-0f1e2d3c']);
  expect(asked).toEqual(
    expect.arrayContaining(['/api/v1/namespaces/default/pods berth.dev/app=demo', '/api/v1/namespaces/default/persistentvolumeclaims berth.dev/app=demo']),
  );
});
