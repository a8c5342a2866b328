/**
 * The API client against a fake API server on localhost (HTTP): request
 * errors, list paging, and the watch's list-then-watch with stale replays dropped.
 */
import { ClusterUnreachableError, isNotFound, KubeClient, WatchEvent } from '../../../src/kube/client';
import { FakeApi, fakeContext as ctx, startFakeApi } from '../support/fake-api';

let api: FakeApi;
let base: string;
const watchRequests: string[] = [];
const writes: { method: string; path: string; body: any }[] = [];

const pod = (name: string, rv: number, phase: string) => ({ metadata: { name, namespace: 'ns', resourceVersion: String(rv) }, status: { phase } });

beforeAll(async () => {
  api = await startFakeApi((req, res, u) => {
    res.setHeader('content-type', 'application/json');
    if (req.method === 'POST' || req.method === 'DELETE') {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        writes.push({ method: req.method!, path: u.pathname, body: JSON.parse(body) });
        res.statusCode = req.method === 'POST' ? 201 : 200;
        res.end(body);
      });
    } else if (u.pathname === '/api/v1/namespaces/ns/pods/probe/log') {
      // A followed log: two lines at once, a third later, and the stream stays open.
      res.setHeader('content-type', 'text/plain');
      res.write(`container=${u.searchParams.get('container')} follow=${u.searchParams.get('follow')}\nok 1\n`);
      setTimeout(() => res.write('ok 2\n'), 30);
    } else if (u.pathname === '/api/v1') {
      res.end(
        JSON.stringify({
          resources: [
            { name: 'pods', kind: 'Pod', namespaced: true, verbs: ['list'] },
            { name: 'pods/log', kind: 'Pod', namespaced: true, verbs: [] },
          ],
        }),
      );
    } else if (u.pathname === '/api/v1/namespaces/ns/pods' && u.searchParams.get('watch') === 'true') {
      watchRequests.push(u.search);
      // A cache replay older than the list (must be dropped), then a real change, then the server closes.
      res.write(JSON.stringify({ type: 'ADDED', object: pod('a', 3, 'Pending') }) + '\n');
      res.write(JSON.stringify({ type: 'MODIFIED', object: pod('a', 9, 'Running') }) + '\n');
      setTimeout(() => res.end(), 50);
    } else if (u.pathname === '/api/v1/namespaces/ns/pods') {
      if (u.searchParams.get('continue') === 'p2') res.end(JSON.stringify({ items: [pod('b', 6, 'Running')], metadata: {} }));
      else res.end(JSON.stringify({ items: [pod('a', 5, 'Pending')], metadata: { continue: u.searchParams.get('limit') ? 'p2' : '' } }));
    } else if (u.pathname === '/api/v1/namespaces/ns/pods/missing') {
      res.statusCode = 404;
      res.end(JSON.stringify({ kind: 'Status', message: 'pods "missing" not found', reason: 'NotFound', code: 404 }));
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  base = api.base;
});
afterAll(() => api.close());

it('lists all pages and puts apiVersion/kind on items', async () => {
  const c = await KubeClient.fromContext(ctx(base));
  const items = await c.list('v1', 'Pod', { namespace: 'ns' });
  expect(items.map((i) => [i.kind, i.apiVersion, i.metadata.name])).toEqual([
    ['Pod', 'v1', 'a'],
    ['Pod', 'v1', 'b'],
  ]);
  c.close();
});

it('returns undefined for a missing object and maps API errors', async () => {
  const c = await KubeClient.fromContext(ctx(base));
  expect(await c.get({ apiVersion: 'v1', kind: 'Pod', namespace: 'ns', name: 'missing' })).toBeUndefined();
  const err = await c.request('GET', '/api/v1/namespaces/ns/pods/missing').catch((e) => e);
  expect(isNotFound(err)).toBe(true);
  expect(err.message).toBe('pods "missing" not found');
  await expect(c.resourceFor('v1', 'Widget')).rejects.toThrow('the cluster does not serve kind Widget in apiVersion v1');
  c.close();
});

it('watch: delivers the list, then changes, dropping replays older than what it saw', async () => {
  const c = await KubeClient.fromContext(ctx(base));
  const events: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const w = c.watch(
      '/api/v1/namespaces/ns/pods',
      { labelSelector: 'app=x' },
      (ev: WatchEvent) => {
        events.push(`${ev.type} ${ev.object.metadata.name} ${ev.object.metadata.resourceVersion}`);
        if (ev.type === 'MODIFIED') {
          w.stop();
          resolve();
        }
      },
      reject,
    );
  });
  expect(events).toEqual(['ADDED a 5', 'MODIFIED a 9']);
  expect(watchRequests[0]).toContain('resourceVersion=0');
  expect(watchRequests[0]).toContain('labelSelector=app%3Dx');
  c.close();
});

it('says the cluster is unreachable, naming context and server', async () => {
  const c = await KubeClient.fromContext(ctx('http://127.0.0.1:1'));
  await expect(c.checkReachable(2000)).rejects.toThrow(ClusterUnreachableError);
  await expect(c.checkReachable(2000)).rejects.toThrow('cannot reach context fake (http://127.0.0.1:1): ECONNREFUSED');
  c.close();
});

it('create posts to the collection; delete sends the grace period', async () => {
  const c = await KubeClient.fromContext(ctx(base));
  await c.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns' } });
  expect(await c.delete({ apiVersion: 'v1', kind: 'Pod', namespace: 'ns', name: 'p' }, 'Background', 0)).toBe(true);
  expect(writes).toEqual([
    { method: 'POST', path: '/api/v1/namespaces/ns/pods', body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns' } } },
    {
      method: 'DELETE',
      path: '/api/v1/namespaces/ns/pods/p',
      body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background', gracePeriodSeconds: 0 },
    },
  ]);
  c.close();
});

it('followLog delivers lines as they come and stops on request', async () => {
  const c = await KubeClient.fromContext(ctx(base));
  const lines: string[] = [];
  let third!: () => void;
  const gotThird = new Promise<void>((r) => (third = r));
  const h = await c.followLog('ns', 'probe', 'probe', (l) => {
    lines.push(l);
    if (lines.length === 3) third();
  });
  await gotThird;
  h.stop();
  expect(lines).toEqual(['container=probe follow=true', 'ok 1', 'ok 2']);
  c.close();
});
