import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * How verify stops a node abruptly and brings it back. That is cluster-specific, so it sits
 * behind this interface: the node-failure check asks `unavailable(node)` first and is skipped
 * with that reason when no disruptor can stop the node.
 */
export interface NodeDisruptor {
  /** For reports, e.g. "berth local cluster (hack/local-cluster/node.sh)". */
  readonly name: string;
  /** Why this node cannot be stopped here, or undefined when it can. */
  unavailable(node: string): string | undefined;
  /** Stop the node abruptly: its processes killed, its network cut. */
  stop(node: string): Promise<void>;
  /** Bring it back (processes started, network up); resolves once started, not once Ready. */
  restore(node: string): Promise<void>;
}

/** Runs a command; rejects with its output on a non-zero exit. Replaceable in tests. */
export type Runner = (file: string, args: string[]) => Promise<string>;

const runFile: Runner = (file, args) =>
  new Promise((resolve, reject) => {
    execFile(file, args, { timeout: 180_000, maxBuffer: 4 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${file} ${args.join(' ')} failed: ${(stderr || stdout || err.message).trim().split('\n').slice(-3).join(' | ')}`));
      else resolve(stdout);
    });
  });

const LOCAL_CONTEXT = 'berth-local';
const EXTRA_NODE = /^berth-local-([0-9]+)$/;

/** hack/local-cluster/node.sh of this berth checkout (walks up from the built or source file). */
export function findNodeScript(from = __dirname): string | undefined {
  let dir = from;
  for (let i = 0; i < 6; i++) {
    const f = path.join(dir, 'hack', 'local-cluster', 'node.sh');
    if (fs.existsSync(f)) return f;
    dir = path.dirname(dir);
  }
  return undefined;
}

/**
 * berth's local cluster (hack/local-cluster): `node.sh crash N` kills every process of extra node N
 * and cuts its veth; `node.sh restore N` brings it back. Only extra nodes (berth-local-2 ...): node 1
 * runs the control plane. Needs root, like the cluster scripts.
 */
export function localClusterDisruptor(context: string, opts: { script?: string; isRoot?: boolean; run?: Runner } = {}): NodeDisruptor {
  const script = opts.script ?? findNodeScript();
  const isRoot = opts.isRoot ?? process.getuid?.() === 0;
  const run = opts.run ?? runFile;
  return {
    name: `berth local cluster (${script ?? 'hack/local-cluster/node.sh'})`,
    unavailable(node) {
      if (context !== LOCAL_CONTEXT) {
        return `no node disruptor for context ${context}: berth can stop nodes only on its local cluster (context ${LOCAL_CONTEXT}); on kind, \`docker stop <node>\` would do (not built in)`;
      }
      if (!EXTRA_NODE.test(node)) return `node ${node} is the local cluster's control-plane node; only extra nodes (berth-local-2 ...) can be stopped`;
      if (!script) return 'hack/local-cluster/node.sh not found next to this berth';
      if (!isRoot) return 'stopping a local-cluster node needs root (run verify as root, like npm run cluster:up)';
      return undefined;
    },
    async stop(node) {
      await run('bash', [script!, 'crash', node]);
    },
    async restore(node) {
      await run('bash', [script!, 'restore', node]);
    },
  };
}
