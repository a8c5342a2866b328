import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Cluster tests drive berth the way a user does: the CLI users run
 * (bin/berth.js, from the TypeScript sources) in a child process, against the local cluster's
 * kubeconfig unless KUBECONFIG says otherwise.
 */
export const ROOT = path.resolve(__dirname, '../../..');
export const MAIN = path.join(ROOT, 'bin/berth.js');

export function kubeconfig(): string {
  return process.env.KUBECONFIG ?? path.join(process.env.BERTH_STATE_DIR ?? '/var/lib/berth-local', 'kubeconfig');
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export function berth(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 15 * 60_000): Run {
  const r = spawnSync(process.execPath, [MAIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, KUBECONFIG: kubeconfig(), BERTH_IMAGES: 'local', CI: '1', ...env },
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + (r.error ? `\n${r.error.message}` : '') };
}

/** Fail with the process output when a step that must work did not. */
export function mustSucceed(what: string, r: Run): Run {
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
  return r;
}

export function readReport(file: string): {
  ok: boolean;
  checks: { id: string; check: string; target: string; status: string; reason: string; details: any }[];
  timings: any;
} {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

export function byId(report: ReturnType<typeof readReport>, id: string) {
  const c = report.checks.find((x) => x.id === id);
  if (!c) throw new Error(`no check ${id} in report: ${report.checks.map((x) => x.id).join(', ')}`);
  return c;
}

export function clusterAvailable(): boolean {
  return fs.existsSync(kubeconfig());
}
