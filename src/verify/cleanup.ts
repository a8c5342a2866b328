/**
 * Things verify created and must remove even when interrupted (Ctrl-C, CI
 * timeout): the traffic probe pod, a cordoned node (node-drain), a stopped node (node-failure). The CLI calls `runCleanups` on SIGINT/SIGTERM.
 */
const pending = new Set<() => Promise<unknown>>();

export function registerCleanup(fn: () => Promise<unknown>): () => void {
  pending.add(fn);
  return () => pending.delete(fn);
}

export async function runCleanups(): Promise<void> {
  const fns = [...pending];
  pending.clear();
  await Promise.allSettled(fns.map((f) => f()));
}
