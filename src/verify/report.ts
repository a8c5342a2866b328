import type { CheckResult, VerifyReport } from './types';

export function reportOk(checks: CheckResult[]): boolean {
  // A skipped check is fine only when it was not applicable (e.g. --skip-keep-data, no DB wired).
  return checks.length > 0 && checks.every((c) => c.status !== 'fail');
}

const MARK: Record<CheckResult['status'], string> = { pass: 'PASS', fail: 'FAIL', skip: 'SKIP' };

function secs(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

/** Fixed-width table for humans; the reason column wraps nothing, it is the last one. */
export function renderTable(r: VerifyReport): string {
  const rows = r.checks.map((c) => [MARK[c.status], c.check, c.target, secs(c.durationMs), c.reason]);
  const head = ['RESULT', 'CHECK', 'TARGET', 'TIME', 'REASON'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const fmt = (row: string[]) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ');
  const t = r.timings;
  return [
    `berth verify: app ${r.app}, namespace ${r.namespace}, context ${r.context}`,
    fmt(head),
    ...rows.map(fmt),
    '',
    `${r.ok ? 'OK' : 'FAILED'}: ${r.checks.filter((c) => c.status === 'pass').length} passed, ${r.checks.filter((c) => c.status === 'fail').length} failed, ${r.checks.filter((c) => c.status === 'skip').length} skipped in ${secs(t.totalMs)} (waiting on Kubernetes ${secs(t.waitingOnKubernetesMs)}, observing ${secs(t.observingMs)}, berth ${secs(t.berthMs)})`,
  ].join('\n');
}

export function toJson(r: VerifyReport): string {
  return JSON.stringify(r, null, 2) + '\n';
}
