/**
 * Progress display: live (listr2) on a terminal, plain timestamped lines in
 * CI, pipes and tests, nothing when silent.
 */
import type { Health } from '../health/readiness';

export type ProgressMode = 'auto' | 'live' | 'plain' | 'silent';

export interface StepHandle {
  /** A line worth keeping (an object created, a prune). */
  line(text: string): void;
  /** Replace the step's title (summary so far). */
  title(text: string): void;
}

export interface Reporter {
  step<T>(title: string, fn: (s: StepHandle) => Promise<T>): Promise<T>;
  /** Run `run`, showing one row per name that it updates until ready. */
  waitItems(title: string, names: string[], run: (update: (name: string, h: Health) => void) => Promise<void>): Promise<void>;
  info(text: string): void;
}

/** Live when stdout is a terminal and not in CI. */
export function resolveMode(
  mode: ProgressMode = 'auto',
  env: NodeJS.ProcessEnv = process.env,
  isTTY = Boolean(process.stdout.isTTY),
): Exclude<ProgressMode, 'auto'> {
  if (mode !== 'auto') return mode;
  return isTTY && !env.CI ? 'live' : 'plain';
}

export function makeReporter(mode: ProgressMode = 'auto', write: (s: string) => void = (s) => process.stdout.write(s)): Reporter {
  const m = resolveMode(mode);
  if (m === 'silent') return new PlainReporter(() => undefined);
  if (m === 'plain') return new PlainReporter(write);
  return new LiveReporter();
}

const ICON: Record<Health['state'], string> = { ready: 'ready', progressing: 'wait ', failed: 'FAIL ' };

export class PlainReporter implements Reporter {
  private readonly t0 = Date.now();
  constructor(private readonly write: (s: string) => void) {}

  private stamp(): string {
    return `[${((Date.now() - this.t0) / 1000).toFixed(1).padStart(5)}s]`;
  }

  info(text: string): void {
    this.write(`${text}\n`);
  }

  async step<T>(title: string, fn: (s: StepHandle) => Promise<T>): Promise<T> {
    let last = title;
    const result = await fn({ line: (t) => this.write(`  ${t}\n`), title: (t) => (last = t) });
    this.write(`${this.stamp()} ${last}\n`);
    return result;
  }

  async waitItems(title: string, names: string[], run: (update: (name: string, h: Health) => void) => Promise<void>): Promise<void> {
    if (names.length === 0) return;
    this.write(`${this.stamp()} ${title}\n`);
    await run((name, h) => this.write(`${this.stamp()}   ${ICON[h.state]} ${name}: ${h.message}\n`));
  }
}

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
  reject: (e: Error) => void;
  settled: boolean;
}

function deferred(): Deferred {
  const d = { settled: false } as Deferred;
  d.promise = new Promise<void>((res, rej) => {
    d.resolve = () => {
      d.settled = true;
      res();
    };
    d.reject = (e) => {
      d.settled = true;
      rej(e);
    };
  });
  d.promise.catch(() => undefined);
  return d;
}

/** listr2 renderer; loaded lazily so plain mode does not pay for it. */
export class LiveReporter implements Reporter {
  private listr(): typeof import('listr2') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('listr2');
  }

  info(text: string): void {
    process.stdout.write(`${text}\n`);
  }

  async step<T>(title: string, fn: (s: StepHandle) => Promise<T>): Promise<T> {
    const { Listr } = this.listr();
    let result!: T;
    let error: Error | undefined;
    await new Listr(
      [
        {
          title,
          task: async (_ctx, task) => {
            try {
              result = await fn({ line: (t) => (task.output = t), title: (t) => (task.title = t) });
            } catch (e) {
              error = e as Error;
              throw new Error((e as Error).message.split('\n')[0], { cause: e });
            }
          },
          rendererOptions: { outputBar: Infinity, persistentOutput: true },
        },
      ],
      { exitOnError: true, rendererOptions: { collapseErrors: true } },
    )
      .run()
      .catch((e) => {
        throw error ?? e;
      });
    return result;
  }

  async waitItems(title: string, names: string[], run: (update: (name: string, h: Health) => void) => Promise<void>): Promise<void> {
    if (names.length === 0) return;
    const { Listr } = this.listr();
    const items = new Map<string, { d: Deferred; setTitle?: (t: string) => void }>(names.map((n) => [n, { d: deferred() }]));
    let error: Error | undefined;
    const update = (name: string, h: Health): void => {
      const it = items.get(name);
      if (!it) return;
      it.setTitle?.(`${name}: ${h.message}`);
      if (h.state === 'ready') it.d.resolve();
    };
    const running = run(update).then(
      () => {
        for (const it of items.values()) if (!it.d.settled) it.d.resolve();
      },
      (e: Error) => {
        error = e;
        const short = new Error(e.message.split('\n')[0]);
        const culprit = [...items.entries()].find(([n]) => e.message.startsWith(n))?.[1] ?? [...items.values()].find((it) => !it.d.settled);
        culprit?.d.reject(short);
        for (const it of items.values()) if (!it.d.settled) it.d.resolve();
      },
    );
    await new Listr(
      [
        {
          title,
          task: (_ctx, task) =>
            task.newListr(
              names.map((n) => ({
                title: n,
                task: async (_c: unknown, sub: { title: string }) => {
                  const it = items.get(n)!;
                  it.setTitle = (t) => (sub.title = t);
                  await it.d.promise;
                },
              })),
              { concurrent: true, exitOnError: false, rendererOptions: { collapseSubtasks: false } },
            ),
        },
      ],
      { exitOnError: true },
    )
      .run()
      .catch(() => undefined);
    await running;
    if (error) throw error;
  }
}
