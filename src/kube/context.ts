/**
 * Kubeconfig and context selection, shared by deploy, status, destroy and verify.
 *
 * Two loaders with the same file/context rules and the same error messages:
 * - `resolveContext()` parses the kubeconfig itself (a few ms) into plain
 *   connection settings for berth's lightweight API client. berth deploy uses
 *   it because importing @kubernetes/client-node costs more CPU than a whole
 *   unchanged redeploy may take (bench/results/deploy-*.md has the redeploy times).
 * - `loadKubeConfig()` returns a @kubernetes/client-node KubeConfig for code
 *   that wants the typed clients (verify), and for auth the light path does
 *   not implement (exec plugins, auth-provider) — see `needsClientNodeAuth`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { KubeConfig } from '@kubernetes/client-node';
import { BerthError } from '../errors';

export interface ContextOptions {
  /** Path to a kubeconfig file; default $KUBECONFIG (colon list) or ~/.kube/config. */
  kubeconfig?: string;
  /** Context name; default the file's current-context. */
  context?: string;
}

/** A config problem the user must fix: the message says what and how. */
export class KubeconfigError extends BerthError {
  constructor(message: string) {
    super(message, 'usage');
    this.name = 'KubeconfigError';
  }
}

interface RawNamed<T> {
  name: string;
  [key: string]: unknown;
  cluster?: T;
  user?: T;
  context?: T;
}

interface RawConfig {
  'current-context'?: string;
  clusters?: RawNamed<Record<string, unknown>>[];
  users?: RawNamed<Record<string, unknown>>[];
  contexts?: RawNamed<Record<string, unknown>>[];
}

/** Connection settings for one context, enough for an HTTPS client. */
export interface ResolvedContext {
  /** Files the config was read from (first wins, like kubectl). */
  files: string[];
  contextName: string;
  clusterName: string;
  userName: string;
  server: string;
  /** Namespace of the context, if set. */
  namespace?: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  token?: string;
  username?: string;
  password?: string;
  insecureSkipTlsVerify: boolean;
  tlsServerName?: string;
  /** True when the user entry uses exec/auth-provider: only client-node can authenticate it. */
  needsClientNodeAuth: boolean;
}

/** Kubeconfig of berth's local test cluster (npm run cluster:up). */
export function localClusterKubeconfig(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.BERTH_STATE_DIR || '/var/lib/berth-local', 'kubeconfig');
}

/** Which kubeconfig files apply, in kubectl's order. */
export function kubeconfigFiles(opts: ContextOptions, env: NodeJS.ProcessEnv = process.env): string[] {
  if (opts.kubeconfig) return [path.resolve(opts.kubeconfig)];
  if (env.KUBECONFIG) {
    return env.KUBECONFIG.split(path.delimiter)
      .filter((f) => f.length > 0)
      .map((f) => path.resolve(f));
  }
  const home = path.join(env.HOME || os.homedir(), '.kube', 'config');
  // Nothing configured at all: use berth's local test cluster if it is there (npm run cluster:up).
  const local = localClusterKubeconfig(env);
  if (!fs.existsSync(home) && fs.existsSync(local)) return [local];
  return [home];
}

function readConfigFile(file: string, explicit: boolean): RawConfig | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (!explicit && code === 'ENOENT') return undefined;
    throw new KubeconfigError(
      `cannot read kubeconfig ${file}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}. ` +
        `Pass --kubeconfig <file> or set KUBECONFIG (for the local test cluster: ${localClusterKubeconfig()}, after npm run cluster:up).`,
    );
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new KubeconfigError(`kubeconfig ${file} is not valid YAML: ${(e as Error).message}`);
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw new KubeconfigError(`kubeconfig ${file} is not a kubeconfig (expected a mapping with clusters, users, contexts)`);
  }
  return doc as RawConfig;
}

/** Merge like kubectl: the first file that defines a name or current-context wins. */
function mergeConfigs(configs: RawConfig[]): Required<RawConfig> {
  const out: Required<RawConfig> = { 'current-context': '', clusters: [], users: [], contexts: [] };
  for (const c of configs) {
    if (!out['current-context'] && c['current-context']) out['current-context'] = c['current-context'];
    for (const key of ['clusters', 'users', 'contexts'] as const) {
      for (const entry of c[key] ?? []) {
        if (entry && typeof entry.name === 'string' && !out[key].some((e) => e.name === entry.name)) out[key].push(entry);
      }
    }
  }
  return out;
}

function dataOrFile(entry: Record<string, unknown>, dataKey: string, fileKey: string, baseDir: string): Buffer | undefined {
  const data = entry[dataKey];
  if (typeof data === 'string' && data.length > 0) return Buffer.from(data, 'base64');
  const file = entry[fileKey];
  if (typeof file === 'string' && file.length > 0) {
    const p = path.isAbsolute(file) ? file : path.join(baseDir, file);
    try {
      return fs.readFileSync(p);
    } catch (e) {
      throw new KubeconfigError(`kubeconfig entry ${fileKey}: cannot read ${p}: ${(e as Error).message}`);
    }
  }
  return undefined;
}

/** Read the kubeconfig and pick the context; throws KubeconfigError with a fix-it message. */
export function resolveContext(opts: ContextOptions = {}, env: NodeJS.ProcessEnv = process.env): ResolvedContext {
  const files = kubeconfigFiles(opts, env);
  const explicit = Boolean(opts.kubeconfig) || files.length === 1;
  const loaded = files.map((f) => ({ file: f, cfg: readConfigFile(f, explicit) })).filter((x): x is { file: string; cfg: RawConfig } => x.cfg !== undefined);
  if (loaded.length === 0) {
    throw new KubeconfigError(
      `no kubeconfig found (looked at ${files.join(', ')}). Pass --kubeconfig <file>, set KUBECONFIG, ` +
        `or create a cluster (npm run cluster:up, berth cluster create --kind).`,
    );
  }
  const merged = mergeConfigs(loaded.map((l) => l.cfg));
  const contextName = opts.context || merged['current-context'];
  const known = merged.contexts.map((c) => c.name);
  if (!contextName) {
    throw new KubeconfigError(`kubeconfig ${files.join(', ')} has no current-context; pass --context <name> (known: ${known.join(', ') || 'none'})`);
  }
  const ctxEntry = merged.contexts.find((c) => c.name === contextName);
  if (!ctxEntry) {
    throw new KubeconfigError(`unknown context "${contextName}" in kubeconfig ${files.join(', ')}; known contexts: ${known.join(', ') || 'none'}`);
  }
  const ctx = (ctxEntry.context ?? {}) as Record<string, unknown>;
  const clusterName = String(ctx.cluster ?? '');
  const userName = String(ctx.user ?? '');
  const clusterEntry = merged.clusters.find((c) => c.name === clusterName);
  if (!clusterEntry) {
    throw new KubeconfigError(`context "${contextName}" refers to cluster "${clusterName}", which is not in the kubeconfig`);
  }
  const cluster = (clusterEntry.cluster ?? {}) as Record<string, unknown>;
  const server = typeof cluster.server === 'string' ? cluster.server.replace(/\/+$/, '') : '';
  if (!/^https?:\/\//.test(server)) {
    throw new KubeconfigError(`cluster "${clusterName}" in the kubeconfig has no valid server URL (got "${server}")`);
  }
  // Relative file paths are relative to the file that defined the entry.
  const fileOf = (kind: 'clusters' | 'users', name: string): string => loaded.find((l) => (l.cfg[kind] ?? []).some((e) => e?.name === name))?.file ?? files[0];
  const userEntry = merged.users.find((u) => u.name === userName);
  const user = (userEntry?.user ?? {}) as Record<string, unknown>;
  const clusterDir = path.dirname(fileOf('clusters', clusterName));
  const userDir = path.dirname(fileOf('users', userName));
  let token = typeof user.token === 'string' ? user.token : undefined;
  if (!token && typeof user.tokenFile === 'string') {
    const p = path.isAbsolute(user.tokenFile) ? user.tokenFile : path.join(userDir, user.tokenFile);
    try {
      token = fs.readFileSync(p, 'utf8').trim();
    } catch (e) {
      throw new KubeconfigError(`user "${userName}": cannot read tokenFile ${p}: ${(e as Error).message}`);
    }
  }
  return {
    files: loaded.map((l) => l.file),
    contextName,
    clusterName,
    userName,
    server,
    namespace: typeof ctx.namespace === 'string' && ctx.namespace ? ctx.namespace : undefined,
    ca: dataOrFile(cluster, 'certificate-authority-data', 'certificate-authority', clusterDir),
    cert: dataOrFile(user, 'client-certificate-data', 'client-certificate', userDir),
    key: dataOrFile(user, 'client-key-data', 'client-key', userDir),
    token,
    username: typeof user.username === 'string' ? user.username : undefined,
    password: typeof user.password === 'string' ? user.password : undefined,
    insecureSkipTlsVerify: cluster['insecure-skip-tls-verify'] === true,
    tlsServerName: typeof cluster['tls-server-name'] === 'string' ? cluster['tls-server-name'] : undefined,
    needsClientNodeAuth: user.exec !== undefined || user['auth-provider'] !== undefined,
  };
}

/**
 * A @kubernetes/client-node KubeConfig for the same file and context as
 * `resolveContext` (same checks, same messages). Imported lazily: it is slow.
 */
export async function loadKubeConfig(opts: ContextOptions = {}, env: NodeJS.ProcessEnv = process.env): Promise<KubeConfig> {
  const resolved = resolveContext(opts, env);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const k8s = require('@kubernetes/client-node') as typeof import('@kubernetes/client-node');
  const kc = new k8s.KubeConfig();
  const [first, ...rest] = resolved.files;
  kc.loadFromFile(first);
  for (const f of rest) {
    const more = new k8s.KubeConfig();
    more.loadFromFile(f);
    kc.mergeConfig(more, true);
  }
  kc.setCurrentContext(resolved.contextName);
  return kc;
}

/** One line naming where we are about to act, for progress output and errors. */
export function describeContext(c: ResolvedContext): string {
  return `context ${c.contextName} (${c.server})`;
}
