import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The kind cluster these tests run on: the one `npm run kind:up` made with `berth cluster create --kind`
 * (hack/kind/up.sh), read from hack/kind/versions.env so the names and ports live in one place.
 * BERTH_KIND_REQUIRED=1 (CI, test/run-all.sh) turns a missing cluster into a failure instead of a skip.
 */
export const ROOT = path.resolve(__dirname, '../../..');

function readEnv(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) out[m[1]] = m[2];
  }
  return out;
}

const v = readEnv('hack/kind/versions.env');
const local = readEnv('hack/local-cluster/versions.env');
export const NAME = v.KIND_CLUSTER_NAME;
export const CONTEXT = `kind-${NAME}`;
export const HTTP_PORT = Number(v.KIND_HTTP_PORT);
export const HTTPS_PORT = Number(v.KIND_HTTPS_PORT);
export const NODE_IMAGE = v.KIND_NODE_IMAGE;
export const KUBECONFIG = path.join(process.env.BERTH_KIND_STATE_DIR ?? '/var/lib/berth-kind', 'kubeconfig');
export const CACHE = process.env.BERTH_CACHE_DIR ?? path.join(process.env.HOME ?? '/root', '.cache', 'berth');
/** A small image the local cluster build makes (tarball in the cache), and its reference. */
export const BUSYBOX = { ref: local.BUSYBOX_IMAGE, tarball: path.join(CACHE, 'images', `busybox-${local.BUSYBOX_IMAGE.split(':').pop()}.tar`) };
/** kind and the Kubernetes client binaries built by kind:up / cluster:up, ahead of anything on PATH. */
export const PATH = [path.join(CACHE, 'kind', 'bin'), path.join(CACHE, 'bin'), process.env.PATH].join(':');
export const ENV = { ...process.env, KUBECONFIG, PATH };

/** Why the kind cluster cannot be used here, or undefined when it answers. */
export function unavailable(): string | undefined {
  if (!fs.existsSync(KUBECONFIG)) return `no ${KUBECONFIG}: run npm run kind:up first`;
  const r = spawnSync('kubectl', ['--context', CONTEXT, 'get', '--raw', '/readyz'], { env: ENV, encoding: 'utf8', timeout: 20_000 });
  if (r.status !== 0) return `kind cluster ${CONTEXT} does not answer: ${(r.stderr || r.error?.message || '').trim()}`;
  return undefined;
}

/** describe, or describe.skip with the reason printed; never a skip when BERTH_KIND_REQUIRED=1. */
export function describeOnKind(): jest.Describe {
  const why = unavailable();
  if (!why) return describe;
  if (process.env.BERTH_KIND_REQUIRED === '1') throw new Error(`BERTH_KIND_REQUIRED=1 but ${why}`);
  console.log(`kind tests skipped: ${why}`);
  return describe.skip;
}

export function run(cmd: string, args: string[]): { code: number; out: string } {
  const r = spawnSync(cmd, args, { env: ENV, encoding: 'utf8', timeout: 10 * 60_000, maxBuffer: 64 << 20 });
  return { code: r.status ?? -1, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? r.error.message : ''}` };
}
