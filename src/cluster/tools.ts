/** Running external cluster tools (kind, minikube, docker): availability checks and command execution. */
import { spawnSync } from 'node:child_process';
import { BerthError } from '../errors';

export interface ToolCheck {
  ok: boolean;
  /** Why not, when !ok (printed by tests that skip). */
  reason?: string;
}

/** Does `cmd args` run and exit 0? (e.g. `docker info`: the engine must answer, not just the CLI exist). */
export function toolWorks(cmd: string, args: string[], timeoutMs = 15_000): ToolCheck {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: timeoutMs });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    return { ok: false, reason: code === 'ENOENT' ? `${cmd} is not installed (not on PATH)` : `${cmd} ${args.join(' ')}: ${r.error.message}` };
  }
  if (r.status !== 0) {
    const msg = (r.stderr || r.stdout || '').trim().split('\n').slice(-1)[0];
    return { ok: false, reason: `${cmd} ${args.join(' ')} exited ${r.status}: ${msg}` };
  }
  return { ok: true };
}

/** Run a tool with inherited stdio; throws with the command line when it fails. */
export function runTool(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    throw new BerthError(code === 'ENOENT' ? `${cmd} is not installed (not on PATH); install it first` : `${cmd} failed: ${r.error.message}`, 'failed');
  }
  if (r.status !== 0) throw new BerthError(`command failed (exit ${r.status}): ${[cmd, ...args].join(' ')}`, 'failed');
}
