/**
 * Turns a stream of file-change events into runs of one job (synth, or synth
 * then deploy), one at a time: changes within `debounceMs` of each other make
 * one run; any number of changes while a run is in progress make exactly one
 * more run after it, which then sees all of them. Pure logic over injectable
 * timers, so the unit tests drive it without sleeping.
 */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export type QueueState = 'idle' | 'waiting' | 'running' | 'running+queued';

export class RunQueue {
  private timer: unknown;
  private running = false;
  private queued = false;
  private readonly idleWaiters: (() => void)[] = [];

  constructor(
    private readonly job: () => Promise<void>,
    private readonly debounceMs: number,
    /** Called when a change arrives while a run is in progress (e.g. to cancel its type check). */
    private readonly onSupersede: () => void = () => undefined,
    private readonly timers: Timers = { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) },
  ) {}

  get state(): QueueState {
    if (this.running) return this.queued ? 'running+queued' : 'running';
    return this.timer !== undefined ? 'waiting' : 'idle';
  }

  /** A file changed. */
  trigger(): void {
    if (this.running) {
      if (!this.queued) this.onSupersede();
      this.queued = true;
      return;
    }
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      void this.start();
    }, this.debounceMs);
  }

  /** Run now (the first run at start-up), or right after the current one. */
  runNow(): void {
    if (this.running) {
      this.queued = true;
      return;
    }
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    void this.start();
  }

  /** Resolves when nothing runs, waits or is queued. */
  idle(): Promise<void> {
    if (this.state === 'idle') return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async start(): Promise<void> {
    this.running = true;
    try {
      await this.job();
    } catch {
      // the job reports its own failures; the queue keeps going
    } finally {
      this.running = false;
    }
    if (this.queued) {
      this.queued = false;
      return this.start();
    }
    if (this.timer === undefined) for (const w of this.idleWaiters.splice(0)) w();
  }
}
