// Longer than most modules on purpose: every request berth makes (CRUD, discovery, logs, watch) goes
// through this one class, so all of them share one agent, one set of credentials and the same per-request
// and per-command time bounds; splitting it by concern would mean exposing those.
/**
 * A small untyped Kubernetes API client: JSON in, JSON out, keep-alive HTTPS.
 *
 * Why not KubernetesObjectApi: its typed serializer drops fields it does not
 * know and renames `x-kubernetes-*` keys in CRD schemas (so a server-side
 * apply could silently lose fields), and importing @kubernetes/client-node
 * costs more CPU than an unchanged redeploy can afford. Exec/OIDC
 * auth still goes through client-node (lazy import) — see `fromContext`.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import * as path from 'node:path';
import { describeContext, loadKubeConfig, ResolvedContext } from './context';
import { eachLine } from './lines';
import type { KObject, ObjectRef } from './types';
import { BerthError, CommandTimeout } from '../errors';

/** An error answered by the API server (has an HTTP status) or a transport failure (status 0). */
export class KubeApiError extends BerthError {
  constructor(
    message: string,
    readonly status: number,
    readonly reason?: string,
    readonly body?: unknown,
  ) {
    super(message, 'failed');
    this.name = 'KubeApiError';
  }
}

/** The cluster could not be reached or refused our credentials; message names context and server. */
export class ClusterUnreachableError extends BerthError {
  constructor(message: string, hint?: string) {
    super(message, 'unreachable', hint);
    this.name = 'ClusterUnreachableError';
  }
}

export interface ApiResource {
  name: string;
  namespaced: boolean;
  kind: string;
  verbs: string[];
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  timeoutMs?: number;
}

export interface WatchEvent<T = KObject> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: T;
}

export interface WatchHandle {
  stop(): void;
}

/**
 * Longest wait for one API answer: every request has a bound, so a server
 * that accepts connections and then stalls ends the command with an error
 * naming it instead of hanging (watches are bounded by their callers' timers).
 */
export const REQUEST_TIMEOUT_MS = 30_000;

export function isNotFound(e: unknown): boolean {
  return e instanceof KubeApiError && e.status === 404;
}

export class KubeClient {
  private readonly agent: http.Agent;
  private readonly headers: Record<string, string> = {};
  private readonly discovery = new Map<string, Promise<ApiResource[]>>();
  private reachable = false;
  /** Wall-clock end of the whole command (its --timeout): no request outlives it. */
  private deadline: { at: number; flag: string } | undefined;
  private requestTimeoutMs = REQUEST_TIMEOUT_MS;

  private constructor(
    readonly context: ResolvedContext,
    agentOpts: https.AgentOptions,
    headers: Record<string, string>,
  ) {
    const secure = context.server.startsWith('https:');
    this.agent = secure ? new https.Agent({ keepAlive: true, ...agentOpts }) : new http.Agent({ keepAlive: true });
    Object.assign(this.headers, headers);
  }

  /** Build a client for a resolved context; exec/auth-provider users are authenticated by client-node. */
  static async fromContext(ctx: ResolvedContext): Promise<KubeClient> {
    const agentOpts: https.AgentOptions = {
      ca: ctx.ca,
      cert: ctx.cert,
      key: ctx.key,
      servername: ctx.tlsServerName,
      rejectUnauthorized: !ctx.insecureSkipTlsVerify,
    };
    const headers: Record<string, string> = {};
    if (ctx.token) headers.authorization = `Bearer ${ctx.token}`;
    else if (ctx.username !== undefined) {
      headers.authorization = `Basic ${Buffer.from(`${ctx.username}:${ctx.password ?? ''}`).toString('base64')}`;
    }
    if (ctx.needsClientNodeAuth) {
      const kc = await loadKubeConfig({ context: ctx.contextName }, { ...process.env, KUBECONFIG: ctx.files.join(path.delimiter) });
      const opts: https.RequestOptions & { headers?: Record<string, string> } = { headers: {} };
      await kc.applyToHTTPSOptions(opts);
      Object.assign(agentOpts, { ca: opts.ca ?? agentOpts.ca, cert: opts.cert ?? agentOpts.cert, key: opts.key ?? agentOpts.key });
      for (const [k, v] of Object.entries(opts.headers ?? {})) headers[k.toLowerCase()] = String(v);
    }
    return new KubeClient(ctx, agentOpts, headers);
  }

  /** Bound every later request by the command's deadline (epoch ms); `flag` names it in the error, e.g. "--timeout 5m". */
  setDeadline(at: number, flag: string): void {
    this.deadline = { at, flag };
  }

  /** Per-request bound (tests use a short one). */
  setRequestTimeout(ms: number): void {
    this.requestTimeoutMs = ms;
  }

  /** Milliseconds left before the command's deadline (Infinity without one). */
  remainingMs(): number {
    return this.deadline ? this.deadline.at - Date.now() : Infinity;
  }

  close(): void {
    this.agent.destroy();
  }

  private url(pathname: string, query?: RequestOptions['query']): URL {
    const u = new URL(this.context.server + pathname);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) u.searchParams.set(k, String(v));
    return u;
  }

  private transportError(e: Error): ClusterUnreachableError {
    const code = (e as NodeJS.ErrnoException).code;
    const hint =
      code === 'ECONNREFUSED'
        ? 'nothing listens there — is the cluster running? (local test cluster: npm run cluster:up)'
        : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
          ? 'the host name does not resolve'
          : code && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)
            ? 'TLS verification failed — the kubeconfig CA does not match the server'
            : 'check the kubeconfig server address and your network';
    return new ClusterUnreachableError(`cannot reach ${describeContext(this.context)}: ${code ?? e.message} — ${hint}`);
  }

  private stalledError(what: string, ms: number): ClusterUnreachableError {
    return new ClusterUnreachableError(
      `${describeContext(this.context)} accepted the connection but did not answer ${what} within ${ms / 1000}s`,
      'the API server is stalled or overloaded: check it (kubectl get --raw /readyz) and run the command again',
    );
  }

  private deadlineError(what: string): CommandTimeout {
    const flag = this.deadline?.flag ?? '--timeout';
    return new CommandTimeout(
      `${flag} passed while waiting for ${describeContext(this.context)} to answer ${what}`,
      'the cluster is slow or stalled; run again with a longer --timeout once it answers (kubectl get --raw /readyz)',
    );
  }

  /** One HTTP request; resolves the parsed JSON body, rejects KubeApiError/ClusterUnreachableError. */
  request<T = any>(method: string, pathname: string, opts: RequestOptions = {}): Promise<T> {
    const u = this.url(pathname, opts.query);
    const payload = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    const headers: Record<string, string> = { accept: 'application/json', ...this.headers };
    if (payload !== undefined) {
      headers['content-type'] = opts.contentType ?? 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    const mod = u.protocol === 'https:' ? https : http;
    const requestLimit = opts.timeoutMs ?? this.requestTimeoutMs;
    const left = this.remainingMs();
    const what = `${method} ${pathname}`;
    if (left <= 0) return Promise.reject(this.deadlineError(what));
    return new Promise<T>((resolve, reject) => {
      // Wall clock, not socket idle time: a server trickling bytes must not stretch the bound either.
      const timer = setTimeout(
        () => {
          req.destroy();
          reject(left < requestLimit ? this.deadlineError(what) : this.stalledError(what, requestLimit));
        },
        Math.min(requestLimit, left),
      );
      const done =
        <V>(f: (v: V) => void) =>
        (v: V) => {
          clearTimeout(timer);
          f(v);
        };
      resolve = done(resolve);
      reject = done(reject);
      const req = mod.request(u, { method, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => reject(this.transportError(e)));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: any = text;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            /* plain text (logs) */
          }
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) {
            this.reachable = true;
            resolve(body as T);
            return;
          }
          if ((status === 401 || status === 403) && !this.reachable && pathname === '/version') {
            reject(
              new ClusterUnreachableError(
                `${describeContext(this.context)} rejected our credentials (HTTP ${status}): ${body?.message ?? text}. Check the user in the kubeconfig.`,
              ),
            );
            return;
          }
          const message = typeof body === 'object' && body?.message ? body.message : `HTTP ${status} ${text.slice(0, 200)}`;
          reject(new KubeApiError(message, status, body?.reason, body));
        });
      });
      req.on('error', (e) => reject(this.transportError(e)));
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  /** Fail fast with a clear message when the cluster is down or the credentials are wrong. */
  async checkReachable(timeoutMs = 5000): Promise<{ gitVersion: string }> {
    return this.request('GET', '/version', { timeoutMs });
  }

  private groupVersionPath(apiVersion: string): string {
    return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  }

  /** Discovery for one group/version (cached per client; reset after installing CRDs). */
  async resources(apiVersion: string): Promise<ApiResource[]> {
    let p = this.discovery.get(apiVersion);
    if (!p) {
      p = this.request<{ resources: ApiResource[] }>('GET', this.groupVersionPath(apiVersion)).then(
        (r) => r.resources.filter((x) => !x.name.includes('/')),
        (e) => {
          this.discovery.delete(apiVersion);
          if (isNotFound(e)) return [];
          throw e;
        },
      );
      this.discovery.set(apiVersion, p);
    }
    return p;
  }

  resetDiscovery(): void {
    this.discovery.clear();
  }

  async resourceFor(apiVersion: string, kind: string): Promise<ApiResource> {
    const r = (await this.resources(apiVersion)).find((x) => x.kind === kind);
    if (!r) {
      throw new KubeApiError(
        `the cluster does not serve kind ${kind} in apiVersion ${apiVersion} (missing CRD or API version not enabled)`,
        404,
        'NoKindMatch',
      );
    }
    return r;
  }

  /** Path of the collection (for list/watch) of a kind, optionally in one namespace. */
  async collectionPath(apiVersion: string, kind: string, namespace?: string): Promise<string> {
    const r = await this.resourceFor(apiVersion, kind);
    const ns = r.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
    return `${this.groupVersionPath(apiVersion)}${ns}/${r.name}`;
  }

  async objectPath(ref: ObjectRef): Promise<string> {
    const r = await this.resourceFor(ref.apiVersion, ref.kind);
    if (r.namespaced && !ref.namespace) throw new Error(`${ref.kind}/${ref.name} needs a namespace`);
    const base = await this.collectionPath(ref.apiVersion, ref.kind, r.namespaced ? ref.namespace : undefined);
    return `${base}/${encodeURIComponent(ref.name)}`;
  }

  async isNamespaced(apiVersion: string, kind: string): Promise<boolean> {
    return (await this.resourceFor(apiVersion, kind)).namespaced;
  }

  async get<T = KObject>(ref: ObjectRef): Promise<T | undefined> {
    try {
      return await this.request<T>('GET', await this.objectPath(ref));
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /** Server-side apply (force: berth owns every field it declares). */
  async apply<T = KObject>(obj: KObject, fieldManager: string, opts: { dryRun?: boolean } = {}): Promise<T> {
    const ref = { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name, namespace: obj.metadata.namespace };
    return this.request<T>('PATCH', await this.objectPath(ref), {
      query: { fieldManager, force: true, dryRun: opts.dryRun ? 'All' : undefined },
      body: obj,
      contentType: 'application/apply-patch+yaml',
    });
  }

  async list<T = KObject>(apiVersion: string, kind: string, opts: { namespace?: string; labelSelector?: string; fieldSelector?: string } = {}): Promise<T[]> {
    const path = await this.collectionPath(apiVersion, kind, opts.namespace);
    const out: T[] = [];
    let cont: string | undefined;
    do {
      const page = await this.request<{ items: T[]; metadata?: { continue?: string } }>('GET', path, {
        query: { labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector, limit: 500, continue: cont },
      });
      for (const item of page.items ?? []) {
        // Lists omit apiVersion/kind on items; put them back so items are self-describing.
        out.push({ apiVersion, kind, ...(item as object) } as T);
      }
      cont = page.metadata?.continue || undefined;
    } while (cont);
    return out;
  }

  /** Create (POST); rejects with KubeApiError 409 when it already exists. */
  async create<T = KObject>(obj: KObject): Promise<T> {
    return this.request<T>('POST', await this.collectionPath(obj.apiVersion, obj.kind, obj.metadata.namespace), { body: obj });
  }

  /** Delete; resolves false when it was already gone. */
  async delete(ref: ObjectRef, propagationPolicy: 'Background' | 'Foreground' | 'Orphan' = 'Background', gracePeriodSeconds?: number): Promise<boolean> {
    try {
      const body = { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy, gracePeriodSeconds };
      await this.request('DELETE', await this.objectPath(ref), { body });
      return true;
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
  }

  /** Last lines of a container's log (previous=true: the crashed instance). */
  async logs(namespace: string, pod: string, container: string, opts: { tailLines?: number; previous?: boolean } = {}): Promise<string> {
    const p = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log`;
    const body = await this.request<unknown>('GET', p, {
      query: { container, tailLines: opts.tailLines ?? 20, previous: opts.previous || undefined },
    });
    return typeof body === 'string' ? body : JSON.stringify(body);
  }

  /**
   * Follow a container's log line by line (like `kubectl logs -f`) until
   * stopped; a dropped stream just ends. Resolves once the stream is open.
   */
  followLog(namespace: string, pod: string, container: string, onLine: (line: string) => void): Promise<WatchHandle> {
    const p = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log`;
    const u = this.url(p, { container, follow: true });
    const mod = u.protocol === 'https:' ? https : http;
    return new Promise<WatchHandle>((resolve, reject) => {
      let stopped = false;
      const req = mod.request(u, { method: 'GET', headers: { ...this.headers }, agent: this.agent }, (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          reject(new KubeApiError(`log of pod ${namespace}/${pod}: HTTP ${res.statusCode}`, res.statusCode ?? 0));
          return;
        }
        res.on('error', () => undefined);
        eachLine(res, (line) => stopped || onLine(line));
        resolve({
          stop: () => {
            stopped = true;
            req.destroy();
          },
        });
      });
      req.on('error', (e) => (stopped ? undefined : reject(this.transportError(e))));
      req.end();
    });
  }

  /**
   * Watch a collection: first a LIST (a consistent read, delivered as ADDED
   * events), then a WATCH for changes, reconnecting (relist + watch) until
   * stopped; `onError` gets fatal errors (e.g. 403).
   *
   * The WATCH starts at resourceVersion "0" (whatever the API server's watch
   * cache holds, no waiting), not at the LIST's version: an API server whose
   * etcd cannot answer progress requests (etcd < 3.4.31/3.5.13, e.g. Debian's
   * 3.4.23 on our test cluster) otherwise stalls such watches for seconds
   * ("Too large resource version") until the resource type sees a write.
   * Cache replays older than what we already saw are dropped by comparing
   * resourceVersions per object (etcd revisions, numeric in practice).
   */
  watch(
    collectionPath: string,
    query: Record<string, string | undefined>,
    onEvent: (ev: WatchEvent) => void,
    onError: (e: Error) => void,
    /** Called with the full LIST result each time the watch (re)syncs: lets callers notice objects gone during a gap. */
    onSync?: (items: KObject[]) => void,
  ): WatchHandle {
    let stopped = false;
    let current: http.ClientRequest | undefined;
    let failures = 0;
    const seen = new Map<string, number>();
    const idOf = (o: KObject): string => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
    /** False for an event older than what we already delivered for that object. */
    const fresh = (o: KObject): boolean => {
      const rv = Number(o.metadata?.resourceVersion);
      if (!Number.isFinite(rv)) return true;
      const prev = seen.get(idOf(o));
      if (prev !== undefined && rv < prev) return false;
      seen.set(idOf(o), rv);
      return true;
    };
    const retry = (e: Error): void => {
      current = undefined;
      if (stopped) return;
      failures++;
      if (failures > 5) onError(e instanceof KubeApiError || e instanceof ClusterUnreachableError ? e : this.transportError(e));
      else setTimeout(start, 200 * failures).unref();
    };
    const start = (): void => {
      if (stopped) return;
      this.request<{ items: KObject[] }>('GET', collectionPath, { query: { ...query } }).then(
        (list) => {
          if (stopped) return;
          for (const item of list.items ?? []) if (fresh(item)) onEvent({ type: 'ADDED', object: item });
          onSync?.(list.items ?? []);
          if (!stopped) openWatch();
        },
        (e: Error) => {
          if (e instanceof KubeApiError && e.status >= 400 && e.status < 500 && e.status !== 429) {
            if (!stopped) onError(e);
            return;
          }
          retry(e);
        },
      );
    };
    const openWatch = (): void => {
      const u = this.url(collectionPath, { ...query, watch: 'true', resourceVersion: '0', timeoutSeconds: 300 });
      const mod = u.protocol === 'https:' ? https : http;
      const req = mod.request(u, { method: 'GET', headers: { accept: 'application/json', ...this.headers }, agent: this.agent }, (res) => {
        if ((res.statusCode ?? 0) >= 300) {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString('utf8')));
          res.on('end', () => {
            let msg = text;
            try {
              msg = JSON.parse(text).message ?? text;
            } catch {
              /* keep text */
            }
            if (!stopped) onError(new KubeApiError(`watch ${collectionPath}: ${msg}`, res.statusCode ?? 0));
          });
          return;
        }
        failures = 0;
        eachLine(res, (line) => {
          if (stopped) return;
          try {
            const ev = JSON.parse(line) as WatchEvent;
            if (ev.type === 'ERROR' || ev.type === 'BOOKMARK') return; // e.g. 410 Gone: the relist below recovers
            if (ev.type === 'DELETED' || fresh(ev.object)) {
              if (ev.type === 'DELETED') seen.delete(idOf(ev.object));
              onEvent(ev);
            }
          } catch {
            /* partial garbage: ignore */
          }
        });
        res.on('end', () => {
          current = undefined;
          // Server closed (timeout or error): relist and watch again; replays are filtered by `fresh`.
          if (!stopped) setImmediate(start);
        });
        res.on('error', () => undefined);
      });
      req.on('error', (e) => retry(e));
      req.end();
      current = req;
    };
    start();
    return {
      stop: () => {
        stopped = true;
        current?.destroy();
        current = undefined;
      },
    };
  }
}
