import type { DbTarget } from './target';

/** Pure helpers over MongoDB connection strings (no credentials ever kept or printed). */

/** `mongodb://user:pass@host:port/db` → host, with credentials never kept. */
export function parseMongoUrl(url: string): { hosts: string[]; database?: string } | undefined {
  const m = /^mongodb(?:\+srv)?:\/\/(?:[^@/]*@)?([^/?]+)(?:\/([^?]*))?/.exec(url.trim());
  if (!m) return undefined;
  return { hosts: m[1].split(',').map((h) => h.replace(/:\d+$/, '')), database: m[2] || undefined };
}

/** Drop user:password from a URL before it goes anywhere near a report. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

/** Does `host` name `db`'s Service (short name, ns-qualified, or FQDN)? */
export function hostMatchesDb(host: string, db: DbTarget): boolean {
  const h = host.toLowerCase();
  return h === db.service || h === `${db.service}.${db.namespace}` || h.startsWith(`${db.service}.${db.namespace}.svc`);
}
