import * as net from 'node:net';
import * as k8s from '@kubernetes/client-node';

export interface Forward {
  /** Local port on 127.0.0.1. */
  port: number;
  close(): Promise<void>;
}

/**
 * Forward a local port to `pod:port` through the API server (client-node
 * PortForward, one websocket per TCP connection, like `kubectl port-forward`).
 * Bound to 127.0.0.1 only.
 */
export async function forwardToPod(kc: k8s.KubeConfig, namespace: string, pod: string, port: number): Promise<Forward> {
  const pf = new k8s.PortForward(kc, true);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    pf.portForward(namespace, pod, [port], socket, null, socket)
      .then((ws) => {
        const sock = typeof ws === 'function' ? ws() : ws;
        sock?.on('close', () => socket.end());
        sock?.on('error', () => socket.destroy());
        socket.on('close', () => sock?.close());
      })
      .catch(() => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const addr = server.address() as net.AddressInfo;
  return {
    port: addr.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
