/**
 * The lifetime of one wait: it ends once, with success or an error, and
 * takes its timers and watches with it. Every collaborator schedules and
 * watches through it, so nothing outlives the wait.
 */
import type { KubeClient, WatchEvent, WatchHandle } from '../../kube/client';
import type { Clock } from './options';

export class WaitScope {
  private ended = false;
  private readonly timers = new Set<unknown>();
  private readonly watches: WatchHandle[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly onEnd: (err?: Error) => void,
  ) {}

  get done(): boolean {
    return this.ended;
  }

  now(): number {
    return this.clock.now();
  }

  /** Run `fn` after `ms`, unless the wait has ended by then. */
  after(ms: number, fn: () => void): void {
    const t = this.clock.setTimeout(() => {
      this.timers.delete(t);
      if (!this.ended) fn();
    }, ms);
    this.timers.add(t);
  }

  /** Watch a collection by its API path for as long as the wait lasts; a watch error ends the wait. */
  watchPath(client: KubeClient, path: string, query: Record<string, string | undefined>, onEvent: (ev: WatchEvent) => void): void {
    if (this.ended) return;
    this.watches.push(client.watch(path, query, onEvent, this.fail));
  }

  /** Like watchPath, for a kind's collection (resolved by discovery) in a namespace or cluster-wide. */
  watchKind(
    client: KubeClient,
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    query: Record<string, string | undefined>,
    onEvent: (ev: WatchEvent) => void,
  ): void {
    client
      .collectionPath(apiVersion, kind, namespace)
      .then((path) => this.watchPath(client, path, query, onEvent))
      .catch(this.fail);
  }

  finish(err?: Error): void {
    if (this.ended) return;
    this.ended = true;
    for (const w of this.watches) w.stop();
    for (const t of this.timers) this.clock.clearTimeout(t);
    this.timers.clear();
    this.onEnd(err);
  }

  readonly fail = (err: Error): void => this.finish(err);
}
