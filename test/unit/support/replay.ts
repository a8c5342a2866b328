/**
 * Replays a recorded wait (test/recordings/format.ts) through the fake API
 * server, on a compressed clock: a recorded second passes in 1/speed of a
 * real one, both for the server's watch events and for the wait loop's own
 * deadlines (WaitOptions.clock), so grace periods and timeouts keep their
 * recorded lengths relative to the events.
 *
 * Each request is answered from the recording: a plain request by the latest
 * answer recorded for it at or before the replay's current time (else the
 * first one), a watch by the next recorded stream for it, whose events are
 * sent at their recorded times. Requests the recording does not have get a
 * 404 and are listed in `unmatched`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Clock } from '../../../src/deploy/wait';
import type { KubeClient } from '../../../src/kube/client';
import { RecordedExchange, Recording, VOLATILE_QUERY } from '../../recordings/format';
import { FakeApi, sendJson, startFakeApi } from './fake-api';

export const WATCH_FIXTURES = path.join(__dirname, '../fixtures/watch');

export function loadRecording(scenario: string): Recording {
  return JSON.parse(fs.readFileSync(path.join(WATCH_FIXTURES, `${scenario}.json`), 'utf8')) as Recording;
}

function requestKey(method: string, pathname: string, query: Record<string, string>): string {
  const q = Object.entries(query)
    .filter(([k]) => !VOLATILE_QUERY.has(k))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  return `${method} ${pathname}?${q}`;
}

export class Replay {
  /** Requests the recording has no answer for. */
  readonly unmatched: string[] = [];
  private readonly plain = new Map<string, RecordedExchange[]>();
  private readonly streams = new Map<string, RecordedExchange[]>();
  private readonly opened = new Map<string, number>();
  private t0 = Date.now();

  private constructor(
    readonly recording: Recording,
    private readonly speed: number,
    private api?: FakeApi,
  ) {
    for (const x of recording.exchanges) {
      const m = x.events ? this.streams : this.plain;
      const key = requestKey(x.method, x.path, x.query);
      m.set(key, [...(m.get(key) ?? []), x]);
    }
  }

  static async start(recording: Recording, speed: number): Promise<Replay> {
    const r = new Replay(recording, speed);
    r.api = await startFakeApi((req, res, url) => r.answer(req.method ?? 'GET', url, res));
    return r;
  }

  /** Recorded time now: 0 when the wait began. */
  now(): number {
    return (Date.now() - this.t0) * this.speed;
  }

  /** Start the recorded time (call right before waitForReady). */
  begin(): void {
    this.t0 = Date.now();
  }

  /** The wait loop's clock, running `speed` times faster than real time. */
  readonly clock: Clock = {
    now: () => this.now(),
    setTimeout: (fn, ms) => setTimeout(fn, ms / this.speed),
    clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
  };

  client(): Promise<KubeClient> {
    return this.api!.client();
  }

  close(): Promise<void> {
    return this.api!.close();
  }

  private answer(method: string, url: URL, res: import('node:http').ServerResponse): void {
    const query = Object.fromEntries(url.searchParams);
    const key = requestKey(method, url.pathname, query);
    if (query.watch === 'true') {
      const n = this.opened.get(key) ?? 0;
      const stream = this.streams.get(key)?.[n];
      this.opened.set(key, n + 1);
      if (stream) return this.stream(stream, res);
    } else {
      const answers = this.plain.get(key);
      if (answers) {
        const now = this.now();
        const x = [...answers].reverse().find((a) => a.at <= now) ?? answers[0];
        if (x.text !== undefined) {
          res.statusCode = x.status;
          res.setHeader('content-type', 'text/plain');
          res.end(x.text);
        } else sendJson(res, x.status, x.body);
        return;
      }
    }
    this.unmatched.push(key);
    sendJson(res, 404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: `not in the recording: ${key}` });
  }

  private stream(x: RecordedExchange, res: import('node:http').ServerResponse): void {
    res.statusCode = x.status;
    res.setHeader('content-type', 'application/json');
    res.flushHeaders();
    const timers: NodeJS.Timeout[] = [];
    const at = (recordedMs: number, fn: () => void): void => {
      timers.push(setTimeout(fn, Math.max(0, recordedMs - this.now()) / this.speed));
    };
    // Events are written in recorded order: each one waits for its time, none overtakes another.
    let chain = Promise.resolve();
    for (const e of x.events ?? []) {
      chain = chain.then(
        () =>
          new Promise<void>((done) =>
            at(e.at, () => {
              if (!res.destroyed) res.write(`${JSON.stringify(e.event)}\n`);
              done();
            }),
          ),
      );
    }
    if (x.endedAt !== undefined) {
      const endedAt = x.endedAt;
      void chain.then(() => new Promise<void>((done) => at(endedAt, () => (res.end(), done()))));
    }
    res.on('close', () => timers.forEach(clearTimeout));
  }
}
