/**
 * A throw-away berth project for tests that run the real CLI on apps they
 * edit: its own apps/, package.json, tsconfig.json and node_modules/ (links to
 * this checkout's packages, its own .cache), constructs/ and src/ linked to the real ones.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../../..');
export const CLI = path.join(ROOT, 'bin/berth.js');

export interface TempProject {
  readonly dir: string;
  write(rel: string, text: string): string;
  read(rel: string): string;
  berth(args: string[], env?: Record<string, string>): { code: number | null; out: string; err: string };
  remove(): void;
}

/** `app.ts` of an app named `name` with one WebApp; `body` may replace the WebApp props. */
export function appSource(name: string, replicas: number | string = 2, extra = ''): string {
  return `import { App } from 'cdk8s';
import { BerthChart, WebApp } from '../../constructs';
${extra}
export function build(app: App): BerthChart {
  const chart = new BerthChart(app, '${name}');
  new WebApp(chart, 'web', { image: 'nginx:1.27.0', port: 8080, replicas: ${replicas} });
  return chart;
}
`;
}

export function tempProject(): TempProject {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'berth-project-')));
  fs.writeFileSync(path.join(dir, 'package.json'), '{ "name": "berth-test-project", "private": true }\n');
  fs.copyFileSync(path.join(ROOT, 'tsconfig.json'), path.join(dir, 'tsconfig.json'));
  for (const d of ['constructs', 'src']) fs.symlinkSync(path.join(ROOT, d), path.join(dir, d)); // constructs import src/contract.ts
  fs.mkdirSync(path.join(dir, 'node_modules'));
  for (const e of fs.readdirSync(path.join(ROOT, 'node_modules'))) {
    if (e !== '.cache') fs.symlinkSync(path.join(ROOT, 'node_modules', e), path.join(dir, 'node_modules', e));
  }
  return {
    dir,
    write(rel, text) {
      const f = path.join(dir, rel);
      fs.mkdirSync(path.dirname(f), { recursive: true });
      fs.writeFileSync(f, text);
      return f;
    },
    read: (rel) => fs.readFileSync(path.join(dir, rel), 'utf8'),
    berth(args, env = {}) {
      const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env } });
      return { code: r.status, out: r.stdout, err: r.stderr };
    },
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** Start a long-running berth command in the project; `lines` collects stdout+stderr. */
export function startBerth(p: TempProject, args: string[]) {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: p.dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const waiters: { re: RegExp; from: number; resolve: (m: RegExpExecArray) => void }[] = [];
  const onData = (c: Buffer) => {
    text += c.toString('utf8');
    for (const w of [...waiters]) {
      const m = w.re.exec(text.slice(w.from));
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  return {
    child,
    get output() {
      return text;
    },
    /** Resolves when output after offset `from` (default: now) matches `re`. */
    waitFor(re: RegExp, from = text.length, timeoutMs = 20_000): Promise<RegExpExecArray> {
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`timed out waiting for ${re} in:\n${text}`)), timeoutMs);
        const m = re.exec(text.slice(from));
        if (m) {
          clearTimeout(t);
          resolve(m);
          return;
        }
        waiters.push({ re, from, resolve: (x) => (clearTimeout(t), resolve(x)) });
      });
    },
    stop(): Promise<number | null> {
      return new Promise((resolve) => {
        child.once('close', (code) => resolve(code));
        child.kill('SIGINT');
      });
    },
  };
}
