/** The last verify verdict, one line, from a `berth verify --json` report file. */
import * as fs from 'node:fs';
import { ManifestError } from '../dist';
import type { VerifyReport } from '../verify/types';

export function verdictLine(r: VerifyReport): string {
  const n = (s: string) => r.checks.filter((c) => c.status === s).length;
  return `verify ${r.ok ? 'OK' : 'FAILED'} at ${r.startedAt}: ${n('pass')} passed, ${n('fail')} failed, ${n('skip')} skipped`;
}

export function readVerdict(file: string): string {
  let r: Partial<VerifyReport>;
  try {
    r = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ManifestError(`--report ${file}: cannot read a JSON report (${(e as Error).message}); write one with berth verify --json FILE`);
  }
  if (r.schemaVersion !== 1 || !Array.isArray(r.checks))
    throw new ManifestError(`--report ${file}: not a berth verify JSON report (no schemaVersion 1 / checks)`);
  return verdictLine(r as VerifyReport);
}
