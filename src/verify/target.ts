import * as fs from 'node:fs';
import * as path from 'node:path';
import { DIST_SUFFIX, listDistApps, readDist } from '../dist';
import { DEFAULT_DIST_DIR, MONGO_ANNOTATION, ROLE_ANNOTATION, WEB_ANNOTATION } from '../contract';
import { UsageError } from '../errors';

/**
 * What verify checks, found only from `dist/` and the contract annotations
 * (no knowledge of the constructs), so verify works on any synthesized app.
 */

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: any;
  data?: Record<string, string>;
}

export interface EnvWiring {
  name: string;
  /** `configMap`/`secret` refs or a literal value (kept only for non-secret env). */
  source: 'configMap' | 'secret' | 'value' | 'other';
  ref?: { name: string; key: string };
  value?: string;
}

/** What a web app and a database have in common: a workload behind a Service. */
interface WorkloadTarget {
  name: string;
  namespace: string;
  replicas: number;
  selector: Record<string, string>;
  service: string;
  /** Service port clients use. */
  port: number;
}

export interface WebTarget extends WorkloadTarget {
  healthPath: string;
  host?: string;
  env: EnvWiring[];
}

export interface DbTarget extends WorkloadTarget {
  database: string;
  /** Credentials Secret; set only when the database runs with authentication. */
  secret?: string;
  /** Keys of the user name and password in `secret`, read from the StatefulSet's env refs. */
  credentialKeys: { username: string; password: string };
  engine: string;
  /** Names of volumeClaimTemplates; empty = no persistent storage. */
  claimTemplates: string[];
  /** Volumes declared directly on the pod template (e.g. an emptyDir for data). */
  podVolumes: { name: string; type: string }[];
}

export interface VerifyTarget {
  app: string;
  file: string;
  namespace: string;
  webApps: WebTarget[];
  databases: DbTarget[];
  objects: Manifest[];
}

/** `dist/<app>.k8s.yaml`; without `app`, the only app in `dist/`. */
export function distFile(distDir = DEFAULT_DIST_DIR, app?: string): { app: string; file: string } {
  if (!fs.existsSync(distDir)) {
    throw new UsageError(`dist directory "${distDir}" does not exist: run \`berth synth\` first or pass --dist`);
  }
  const apps = listDistApps(distDir);
  if (app) {
    if (!apps.includes(app)) {
      throw new UsageError(`no manifests for app "${app}" in ${distDir}/ (found: ${apps.join(', ') || 'none'}): run \`berth synth --app ${app}\``);
    }
    return { app, file: path.join(distDir, `${app}${DIST_SUFFIX}`) };
  }
  if (apps.length !== 1) {
    throw new UsageError(`${distDir}/ holds ${apps.length} apps (${apps.join(', ') || 'none'}): choose one with --app NAME`);
  }
  return { app: apps[0], file: path.join(distDir, `${apps[0]}${DIST_SUFFIX}`) };
}

/** The app's manifest as read from dist/ (read before connecting, so a bad --dist or --app fails first). */
export interface DistManifest {
  app: string;
  file: string;
  objects: Manifest[];
}

export function readTarget(opts: { distDir?: string; app?: string }): DistManifest {
  const { app, file } = distFile(opts.distDir, opts.app);
  return { app, file, objects: readDist(path.dirname(file), app)[0].objects as Manifest[] };
}

function num(v: string | undefined, what: string): number {
  const n = Number(v);
  if (!v || !Number.isInteger(n) || n <= 0) throw new UsageError(`${what} must be a positive integer port, got "${v}"`);
  return n;
}

function podVolumeType(v: Record<string, unknown>): string {
  return Object.keys(v).find((k) => k !== 'name') ?? 'unknown';
}

function envOf(podSpec: any): EnvWiring[] {
  const out: EnvWiring[] = [];
  for (const c of podSpec?.containers ?? []) {
    for (const e of c.env ?? []) {
      if (e.valueFrom?.configMapKeyRef) out.push({ name: e.name, source: 'configMap', ref: e.valueFrom.configMapKeyRef });
      else if (e.valueFrom?.secretKeyRef) out.push({ name: e.name, source: 'secret', ref: e.valueFrom.secretKeyRef });
      else if (e.value !== undefined) out.push({ name: e.name, source: 'value', value: String(e.value) });
      else out.push({ name: e.name, source: 'other' });
    }
  }
  return out;
}

/** Which Secret keys hold user name and password, from env like MONGO_INITDB_ROOT_USERNAME (default username/password). */
function credentialKeys(podSpec: any, secret: string | undefined): { username: string; password: string } {
  const keys = { username: 'username', password: 'password' };
  for (const e of envOf(podSpec)) {
    if (e.source !== 'secret' || e.ref?.name !== secret) continue;
    if (/USER/i.test(e.name)) keys.username = e.ref!.key;
    else if (/PASS/i.test(e.name)) keys.password = e.ref!.key;
  }
  return keys;
}

/**
 * What to verify, found by the contract annotations. `defaultNamespace` is where deploy put the objects
 * that set none (--namespace, else the context's, else "default"); an object's own namespace wins, as in deploy.
 */
export function buildTarget(app: string, file: string, objects: Manifest[], defaultNamespace = 'default'): VerifyTarget {
  const nsOf = (m: Manifest) => m.metadata.namespace ?? defaultNamespace;
  const services = new Map(objects.filter((o) => o.kind === 'Service').map((s) => [s.metadata.name, s]));
  const webApps: WebTarget[] = [];
  const databases: DbTarget[] = [];
  for (const o of objects) {
    const a = o.metadata.annotations ?? {};
    const where = `${file}: ${o.kind} ${o.metadata.name}`;
    /** Fields common to both roles; `serviceAnnotation` names the workload's Service. */
    const workload = (serviceAnnotation: string) => {
      const service = a[serviceAnnotation];
      if (!service) throw new UsageError(`${where} has no ${serviceAnnotation} annotation: re-run \`berth synth\``);
      return {
        name: o.metadata.name,
        namespace: nsOf(o),
        replicas: o.spec?.replicas ?? 1,
        selector: o.spec?.selector?.matchLabels ?? {},
        service,
      };
    };
    if (o.kind === 'Deployment' && a[ROLE_ANNOTATION] === 'web-app') {
      const base = workload(WEB_ANNOTATION.service);
      const port = a[WEB_ANNOTATION.port]
        ? num(a[WEB_ANNOTATION.port], `${where} annotation ${WEB_ANNOTATION.port}`)
        : num(String(services.get(base.service)?.spec?.ports?.[0]?.port ?? ''), `${where}: port of Service ${base.service}`);
      webApps.push({
        ...base,
        port,
        healthPath: a[WEB_ANNOTATION.healthPath] ?? '/',
        host: a[WEB_ANNOTATION.host] || undefined,
        env: envOf(o.spec?.template?.spec),
      });
    } else if (o.kind === 'StatefulSet' && a[ROLE_ANNOTATION] === 'mongo-database') {
      databases.push({
        ...workload(MONGO_ANNOTATION.service),
        port: a[MONGO_ANNOTATION.port] ? num(a[MONGO_ANNOTATION.port], `${where} annotation ${MONGO_ANNOTATION.port}`) : 27017,
        database: a[MONGO_ANNOTATION.database] ?? 'test',
        secret: a[MONGO_ANNOTATION.secret] || undefined,
        credentialKeys: credentialKeys(o.spec?.template?.spec, a[MONGO_ANNOTATION.secret]),
        engine: a[MONGO_ANNOTATION.engine] ?? 'mongodb',
        claimTemplates: (o.spec?.volumeClaimTemplates ?? []).map((t: any) => t.metadata?.name).filter(Boolean),
        podVolumes: (o.spec?.template?.spec?.volumes ?? []).map((v: any) => ({ name: v.name, type: podVolumeType(v) })),
      });
    }
  }
  if (!webApps.length && !databases.length) {
    throw new UsageError(`${file} has no workload annotated ${ROLE_ANNOTATION}=web-app|mongo-database: nothing to verify (was it synthesized by berth?)`);
  }
  const namespace = webApps[0]?.namespace ?? databases[0]?.namespace ?? defaultNamespace;
  return { app, file, namespace, webApps, databases, objects };
}
