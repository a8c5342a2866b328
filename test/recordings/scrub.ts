/**
 * Scrubbing a recording before it is saved: object uids and IP addresses
 * (v4 and v6) become stable placeholders (the same value everywhere it occurs, so owner
 * references still match), Secret data is dropped, and managedFields, which
 * the wait loop never reads, are removed to keep fixtures small.
 */
import { isIPv6 } from 'node:net';

const UID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g;
const IPV4 = /\b(?:\d{1,3}\.){3}\d{1,3}\b/g;
// Colon-separated hex groups; net.isIPv6 decides (a time such as 10:00:00 is not an address).
const IPV6_CANDIDATE = /(?<![0-9A-Za-z:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![0-9A-Za-z:])/g;
const KEEP_IPS = new Set(['127.0.0.1', '0.0.0.0', '::1', '::']);

export class Scrubber {
  private readonly uids = new Map<string, string>();
  private readonly ips = new Map<string, string>();
  private readonly ips6 = new Map<string, string>();

  scrub<T>(value: T): T {
    return this.walk(value) as T;
  }

  private walk(v: unknown): unknown {
    if (typeof v === 'string') return this.text(v);
    if (Array.isArray(v)) return v.map((x) => this.walk(x));
    if (v === null || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    const isSecret = o.kind === 'Secret';
    for (const [k, x] of Object.entries(o)) {
      if (k === 'managedFields') continue;
      if (isSecret && (k === 'data' || k === 'stringData')) {
        out[k] = Object.fromEntries(Object.keys((x ?? {}) as object).map((key) => [key, '']));
        continue;
      }
      out[k] = this.walk(x);
    }
    return out;
  }

  private text(s: string): string {
    return s
      .replace(UID, (u) => this.stable(this.uids, u, (n) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`))
      .replace(IPV4, (ip) => (KEEP_IPS.has(ip) || !ip.split('.').every((p) => Number(p) <= 255) ? ip : this.stable(this.ips, ip, (n) => `192.0.2.${n}`)))
      .replace(IPV6_CANDIDATE, (ip) => (KEEP_IPS.has(ip) || !isIPv6(ip) ? ip : this.stable(this.ips6, ip.toLowerCase(), (n) => `2001:db8::${n.toString(16)}`)));
  }

  private stable(map: Map<string, string>, key: string, make: (n: number) => string): string {
    let v = map.get(key);
    if (!v) {
      v = make(map.size + 1);
      map.set(key, v);
    }
    return v;
  }
}
