/**
 * A fake Kubernetes API server on localhost (plain HTTP) for unit tests of
 * code that talks to the cluster through KubeClient: the test supplies the
 * request handler, and gets a client context pointing at it.
 */
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { KubeClient } from '../../../src/kube/client';
import type { ResolvedContext } from '../../../src/kube/context';

export type FakeHandler = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => void;

export interface FakeApi {
  /** http://127.0.0.1:<port> */
  base: string;
  /** A KubeClient talking to this server. */
  client(): Promise<KubeClient>;
  close(): Promise<void>;
}

/** A resolved kubeconfig context for a server without authentication. */
export function fakeContext(server: string): ResolvedContext {
  return { files: [], contextName: 'fake', clusterName: 'fake', userName: 'u', server, insecureSkipTlsVerify: false, needsClientNodeAuth: false };
}

export async function startFakeApi(handler: FakeHandler): Promise<FakeApi> {
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => handler(req, res, new URL(req.url!, 'http://x')));
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    client: () => KubeClient.fromContext(fakeContext(base)),
    close: () =>
      new Promise<void>((r) => {
        // Open watch streams would keep close() waiting forever.
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** Answer with a JSON body (a Status object for errors, as the API server does). */
export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
}
