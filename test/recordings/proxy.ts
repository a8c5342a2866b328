/**
 * A recording proxy between a KubeClient and the real API server: plain
 * HTTP on 127.0.0.1 towards the client, the kubeconfig's TLS and credentials
 * towards the server. It keeps every answer, and every line of every watch
 * stream with the time it arrived.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { AddressInfo } from 'node:net';
import type { ResolvedContext } from '../../src/kube/context';
import { eachLine } from '../../src/kube/lines';
import type { RecordedExchange } from './format';

export class RecordingProxy {
  readonly exchanges: RecordedExchange[] = [];
  private t0 = Date.now();
  private server?: http.Server;
  private readonly agent: http.Agent;
  private readonly headers: Record<string, string> = {};

  constructor(private readonly ctx: ResolvedContext) {
    if (ctx.needsClientNodeAuth)
      throw new Error(`the recorder needs a kubeconfig user with a client certificate or a token (context ${ctx.contextName} uses exec/auth-provider)`);
    this.agent = ctx.server.startsWith('https:')
      ? new https.Agent({
          keepAlive: true,
          ca: ctx.ca,
          cert: ctx.cert,
          key: ctx.key,
          servername: ctx.tlsServerName,
          rejectUnauthorized: !ctx.insecureSkipTlsVerify,
        })
      : new http.Agent({ keepAlive: true });
    if (ctx.token) this.headers.authorization = `Bearer ${ctx.token}`;
    else if (ctx.username !== undefined) this.headers.authorization = `Basic ${Buffer.from(`${ctx.username}:${ctx.password ?? ''}`).toString('base64')}`;
  }

  /** Milliseconds since begin(). */
  now(): number {
    return Date.now() - this.t0;
  }

  begin(): void {
    this.t0 = Date.now();
  }

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => this.forward(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    this.agent.destroy();
    return new Promise((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private forward(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url!, 'http://x');
    const target = new URL(this.ctx.server.replace(/\/$/, '') + url.pathname + url.search);
    const x: RecordedExchange = { at: this.now(), method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), status: 0 };
    this.exchanges.push(x);
    const watch = url.searchParams.get('watch') === 'true';
    const mod = target.protocol === 'https:' ? https : http;
    const headers = { accept: req.headers.accept ?? 'application/json', ...this.headers } as Record<string, string>;
    if (req.headers['content-type']) headers['content-type'] = req.headers['content-type'];
    const up = mod.request(target, { method: req.method, headers, agent: this.agent }, (upRes) => {
      x.status = upRes.statusCode ?? 0;
      res.writeHead(x.status, { 'content-type': upRes.headers['content-type'] ?? 'application/json' });
      if (watch && x.status < 300) return this.stream(x, upRes, res);
      const chunks: Buffer[] = [];
      upRes.on('data', (c: Buffer) => chunks.push(c));
      upRes.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        try {
          x.body = JSON.parse(text);
        } catch {
          x.text = text;
        }
        res.end(text);
      });
    });
    up.on('error', (e) => {
      x.status = 502;
      x.text = `recording proxy: ${e.message}`;
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    res.on('close', () => up.destroy());
    req.pipe(up);
  }

  private stream(x: RecordedExchange, upRes: http.IncomingMessage, res: http.ServerResponse): void {
    x.events = [];
    eachLine(upRes, (line) => x.events!.push({ at: this.now(), event: JSON.parse(line) }));
    upRes.on('data', (chunk: string) => res.write(chunk));
    let stopped = false;
    res.on('close', () => (stopped = true));
    upRes.on('end', () => {
      // Only the server ending the stream is part of the recording; the client stopping it is not.
      if (!stopped) x.endedAt = this.now();
      res.end();
    });
    upRes.on('error', () => undefined);
  }
}
