/**
 * "Is this Ingress routed?" by asking the ingress controller directly, for
 * controllers that do not publish status.loadBalancer (e.g. Traefik without
 * an ingress endpoint configured). A request with the rule's Host header is
 * routed unless the controller answers with its own "no route" 404.
 */
import * as http from 'node:http';
import type { KObject } from '../kube/types';

/** Where the ingress controller listens, if we know: --ingress-url, BERTH_INGRESS_URL, or the local test cluster. */
export function ingressUrlFor(contextName: string, explicit?: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (explicit) return explicit;
  if (env.BERTH_INGRESS_URL) return env.BERTH_INGRESS_URL;
  if (contextName === 'berth-local') return `http://127.0.0.1:${env.BERTH_INGRESS_PORT || '80'}`;
  return undefined;
}

/** Controller "no route" answers (Traefik, ingress-nginx default backend). */
export function isControllerNotFound(status: number, body: string): boolean {
  if (status !== 404) return false;
  const b = body.trim().toLowerCase();
  return b === '404 page not found' || b.includes('<center>nginx') || b === 'default backend - 404';
}

export function makeIngressProbe(baseUrl: string, timeoutMs = 2000): (ing: KObject) => Promise<{ ok: boolean; detail: string }> {
  return (ing) =>
    new Promise((resolve) => {
      const rule = (ing.spec?.rules ?? [])[0] ?? {};
      const host: string | undefined = rule.host;
      const path: string = rule.http?.paths?.[0]?.path ?? '/';
      const u = new URL(path, baseUrl);
      const req = http.request(u, { method: 'GET', headers: host ? { host } : {}, timeout: timeoutMs }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          if (body.length < 512) body += c;
        });
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const routed = !isControllerNotFound(status, body);
          resolve({ ok: routed, detail: `GET ${u.href} Host: ${host ?? '*'} → HTTP ${status}` });
        });
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (e) => resolve({ ok: false, detail: `${u.href}: ${(e as NodeJS.ErrnoException).code ?? e.message}` }));
      req.end();
    });
}
