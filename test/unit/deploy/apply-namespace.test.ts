import type { ServerResponse } from 'node:http';
import { applyObjects } from '../../../src/deploy/apply';
import type { KObject } from '../../../src/kube/types';
import { sendJson, startFakeApi } from '../support/fake-api';

const CORE = {
  kind: 'APIResourceList',
  groupVersion: 'v1',
  resources: [
    { name: 'namespaces', kind: 'Namespace', namespaced: false, verbs: ['get', 'list', 'watch', 'patch'] },
    { name: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true, verbs: ['get', 'list', 'watch'] },
    { name: 'configmaps', kind: 'ConfigMap', namespaced: true, verbs: ['get', 'list', 'watch', 'patch'] },
  ],
};
const namespace: KObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } };
const configMap: KObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop' }, data: { a: '1' } } as KObject;
const notFound = { kind: 'Status', status: 'Failure', code: 404, reason: 'NotFound', message: 'not found' };

/**
 * A fake API server whose namespace `shop` gets its default ServiceAccount `saAfterMs` after the
 * watch for it opens; it logs every request as "METHOD path" (watch marked).
 */
async function cluster(opts: { namespaceExists: boolean; saAfterMs: number }) {
  const log: string[] = [];
  let created = opts.namespaceExists;
  const api = await startFakeApi((req, res, url) => {
    const watch = url.searchParams.get('watch') === 'true';
    log.push(`${req.method} ${url.pathname}${watch ? ' (watch)' : ''}`);
    const p = url.pathname;
    if (p === '/api/v1') return sendJson(res, 200, CORE);
    if (p === '/api' || p === '/apis') return sendJson(res, 200, p === '/api' ? { versions: ['v1'] } : { groups: [] });
    if (p === '/api/v1/namespaces/shop') {
      if (req.method === 'GET')
        return created ? sendJson(res, 200, { ...namespace, metadata: { name: 'shop', resourceVersion: '1' } }) : sendJson(res, 404, notFound);
      const wasCreated = created;
      created = true;
      return sendJson(res, wasCreated ? 200 : 201, { ...namespace, metadata: { name: 'shop', resourceVersion: '1' } });
    }
    if (p === '/api/v1/namespaces/shop/serviceaccounts') {
      if (!watch) return sendJson(res, 200, { kind: 'ServiceAccountList', metadata: { resourceVersion: '5' }, items: [] });
      return streamDefaultAccount(res, opts.saAfterMs, log);
    }
    if (p === '/api/v1/namespaces/shop/configmaps/settings') {
      if (req.method === 'GET') return sendJson(res, 404, notFound);
      return sendJson(res, 201, { ...configMap, metadata: { ...configMap.metadata, resourceVersion: '7' } });
    }
    sendJson(res, 404, notFound);
  });
  return { api, log };
}

function streamDefaultAccount(res: ServerResponse, afterMs: number, log: string[]): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  setTimeout(() => {
    log.push('default ServiceAccount made');
    res.write(
      `${JSON.stringify({ type: 'ADDED', object: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'shop', resourceVersion: '6' } } })}\n`,
    );
  }, afterMs);
}

describe('applyObjects and a Namespace the app declares', () => {
  it('applies what goes into a new Namespace only once its default ServiceAccount exists', async () => {
    const { api, log } = await cluster({ namespaceExists: false, saAfterMs: 300 });
    const client = await api.client();
    try {
      const applied = await applyObjects(client, [configMap, namespace]);
      expect(applied.map((a) => `${a.name} ${a.change}`)).toEqual(['Namespace shop created', 'ConfigMap shop/settings created']);
      const made = log.indexOf('default ServiceAccount made');
      expect(made).toBeGreaterThan(-1);
      expect(log.indexOf('PATCH /api/v1/namespaces/shop/configmaps/settings')).toBeGreaterThan(made);
    } finally {
      client.close();
      await api.close();
    }
  });

  it('does not wait for a Namespace that already existed', async () => {
    const { api, log } = await cluster({ namespaceExists: true, saAfterMs: 60_000 });
    const client = await api.client();
    try {
      const applied = await applyObjects(client, [namespace, configMap]);
      expect(applied.map((a) => a.change)).toEqual(['unchanged', 'created']);
      expect(log.filter((l) => l.includes('serviceaccounts'))).toEqual([]);
    } finally {
      client.close();
      await api.close();
    }
  });
});
