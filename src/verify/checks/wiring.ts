import { randomBytes } from 'node:crypto';
import type { V1ConfigMap, V1Container, V1Deployment, V1Pod } from '@kubernetes/client-node';
import * as http from 'node:http';
import { forwardToPod } from '../portforward';
import { readyPods } from '../pods';
import { WebTarget } from '../target';
import { selectorString } from '../../contract';
import { hostMatchesDb, parseMongoUrl, redactUrl } from '../mongourl';
import type { CheckResult } from '../types';
import { mustGet } from '../kube';
import { withMongo } from '../mongo';
import { CheckContext, CheckOutcome, runCheck } from './context';

/** Collection the demo web app keeps its markers in (apps/demo/web/store.go). */
const DEMO_MARKERS = 'markers';

function request(method: string, port: number, path: string, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method, timeout: 10_000, agent: false }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Check 4: the WebApp reaches its database with the wired configuration.
 * Static: the live Deployment takes the Mongo URL from a ConfigMap naming the
 * DB Service and credentials from the DB Secret. Live: every ready pod answers
 * its health path (the readiness endpoint, which pings the DB for demo-web)
 * through a port-forward, and if the app has the demo marker API, a value
 * PUT through one pod is read back through another (so it went to the shared DB).
 */
export async function checkWiring(ctx: CheckContext, web: WebTarget): Promise<CheckResult> {
  return runCheck('wiring', web.name, async (details) => {
    const dep = await mustGet<V1Deployment>(ctx.kube, { apiVersion: 'apps/v1', kind: 'Deployment', namespace: web.namespace, name: web.name });
    const containers = dep.spec?.template?.spec?.containers ?? [];
    const env = containers.flatMap((c) => c.env ?? []);
    const url = await findMongoUrl(ctx, web.namespace, containers);
    if (!url) throw new CheckOutcome('skip', 'the WebApp has no MongoDB URL in its env (no database wired)');
    const parsed = parseMongoUrl(url.value)!;
    details.url = { env: url.env, from: url.from, value: redactUrl(url.value) };
    if (url.from === 'literal env value') throw new CheckOutcome('fail', `${url.env} is a literal value, not taken from the WebApp's ConfigMap`, details);
    const db = ctx.target.databases.find((d) => parsed.hosts.some((h) => hostMatchesDb(h, d)));
    const secretRefs = [
      ...env
        .filter((e) => e.valueFrom?.secretKeyRef)
        .map((e) => ({ env: e.name, secret: e.valueFrom!.secretKeyRef!.name, key: e.valueFrom!.secretKeyRef!.key })),
      ...containers
        .flatMap((c) => c.envFrom ?? [])
        .filter((f) => f.secretRef)
        .map((f) => ({ env: '(envFrom)', secret: f.secretRef!.name, key: '*' })),
    ];
    details.secretRefs = secretRefs;
    if (db) {
      details.database = db.name;
      if (db.secret && !secretRefs.some((r) => r.secret === db.secret)) {
        throw new CheckOutcome('fail', `no env takes credentials from the database Secret ${db.secret}`, details);
      }
    } else {
      details.database = `external (${parsed.hosts.join(',')})`;
    }
    const live = await ctx.kube.client.list<V1Pod>('v1', 'Pod', { namespace: web.namespace, labelSelector: selectorString(web.selector) });
    const pods = readyPods(live)
      .map((p) => p.metadata!.name!)
      .sort();
    if (!pods.length) throw new CheckOutcome('fail', `no ready pod of ${web.name}: it does not reach its database (readiness probe failing)`, details);
    const health: Record<string, number> = {};
    const forwards = await Promise.all(pods.map((p) => forwardToPod(ctx.kube.kc, web.namespace, p, containerPort(dep) ?? web.port)));
    try {
      for (let i = 0; i < pods.length; i++) health[pods[i]] = (await request('GET', forwards[i].port, web.healthPath)).status;
      details.health = { path: web.healthPath, status: health };
      const bad = Object.entries(health).filter(([, s]) => s !== 200);
      if (bad.length) throw new CheckOutcome('fail', `${web.healthPath} not 200 on ${bad.map(([p, s]) => `${p} (HTTP ${s})`).join(', ')}`, details);
      const key = `verify-wiring-${randomBytes(4).toString('hex')}`;
      const value = randomBytes(8).toString('hex');
      const put = await request('PUT', forwards[0].port, `/api/markers/${key}`, value);
      if (put.status >= 200 && put.status < 300) {
        const reader = forwards[forwards.length - 1];
        const got = await request('GET', reader.port, `/api/markers/${key}`);
        details.markerApi = { key, writtenVia: pods[0], readVia: pods[pods.length - 1], status: got.status };
        if (got.status !== 200 || got.body.trim() !== value)
          throw new CheckOutcome('fail', `marker ${key} written via ${pods[0]} not read back via ${pods[pods.length - 1]} (HTTP ${got.status})`, details);
        if (db) {
          // Same document read straight from the database pod: the app really writes to *this* database.
          const dbName = parsed.database ?? db.database;
          const doc = await withMongo(ctx.kube, db, `${db.name}-0`, (c) =>
            c.db(dbName).collection<{ _id: string; value: string }>(DEMO_MARKERS).findOne({ _id: key }),
          );
          details.markerInDatabase = !!doc;
          if (doc?.value !== value)
            throw new CheckOutcome(
              'fail',
              `marker ${key} written through the app is not in ${db.name} (${dbName}.${DEMO_MARKERS}): the app uses another database`,
              details,
            );
        }
        return `${url.env} from ${url.from} → ${details.database}; ${pods.length} pod(s) answer ${web.healthPath}; marker written through the app found in the database`;
      }
      details.markerApi = `not available (PUT HTTP ${put.status})`;
      return `${url.env} from ${url.from} → ${details.database}; ${pods.length} pod(s) answer ${web.healthPath}`;
    } finally {
      await Promise.all(forwards.map((f) => f.close()));
    }
  });
}

/**
 * The env var holding a mongodb:// URL and where it comes from: a
 * configMapKeyRef, a whole ConfigMap via envFrom, or a literal value.
 */
async function findMongoUrl(
  ctx: CheckContext,
  namespace: string,
  containers: V1Container[],
): Promise<{ env: string; value: string; from: string } | undefined> {
  const isUrl = (v: string | undefined): v is string => !!v && /^mongodb(\+srv)?:\/\//.test(v);
  const configMaps = new Map<string, Record<string, string>>();
  const cmData = async (name: string) => {
    if (!configMaps.has(name))
      configMaps.set(name, (await mustGet<V1ConfigMap>(ctx.kube, { apiVersion: 'v1', kind: 'ConfigMap', namespace, name })).data ?? {});
    return configMaps.get(name)!;
  };
  for (const c of containers) {
    for (const e of c.env ?? []) {
      const ref = e.valueFrom?.configMapKeyRef;
      if (ref) {
        const v = (await cmData(ref.name!))[ref.key];
        if (isUrl(v)) return { env: e.name, value: v, from: `ConfigMap ${ref.name} key ${ref.key}` };
      } else if (isUrl(e.value)) return { env: e.name, value: e.value, from: 'literal env value' };
    }
    for (const f of c.envFrom ?? []) {
      if (!f.configMapRef?.name) continue;
      for (const [k, v] of Object.entries(await cmData(f.configMapRef.name))) {
        if (isUrl(v)) return { env: `${f.prefix ?? ''}${k}`, value: v, from: `ConfigMap ${f.configMapRef.name} key ${k} (envFrom)` };
      }
    }
  }
  return undefined;
}

function containerPort(dep: { spec?: { template?: { spec?: { containers?: { ports?: { containerPort: number }[] }[] } } } }): number | undefined {
  return dep.spec?.template?.spec?.containers?.[0]?.ports?.[0]?.containerPort;
}
