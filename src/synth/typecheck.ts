/**
 * Type-checks an app's own program (apps/<name>/*.ts and what they import,
 * not the tests or benchmarks) with TypeScript's native compiler in a child
 * process, so it runs in parallel with synth. Incremental: the compiler keeps
 * its state in node_modules/.cache/berth/ and re-checks only what changed
 * (by content, never by time stamp).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { appEntry, listApps } from './project';

export interface TypeCheckResult {
  readonly ok: boolean;
  /** One entry per diagnostic: `file:line:col - error TSnnnn: message` (continuation lines kept). */
  readonly errors: string[];
  readonly ms: number;
}

export interface TypeCheck {
  readonly result: Promise<TypeCheckResult>;
  /** Stop the compiler (a newer edit supersedes this check). The result then resolves as cancelled (ok: false, no errors). */
  cancel(): void;
}

/** The native compiler: typescript's platform package (an optional dependency), else its node launcher. */
export function compilerCommand(): { file: string; args: string[] } {
  const tsDir = path.dirname(require.resolve('typescript-7/package.json'));
  const exe = process.platform === 'win32' ? 'tsc.exe' : 'tsc';
  try {
    const pkg = require.resolve(`@typescript/typescript-${process.platform}-${process.arch}/package.json`, { paths: [tsDir] });
    const file = path.join(path.dirname(pkg), 'lib', exe);
    if (fs.existsSync(file)) return { file, args: [] };
  } catch {
    // fall through to the launcher, which finds (or reports) the binary itself
  }
  return { file: process.execPath, args: [path.join(tsDir, 'bin', 'tsc')] };
}

/** Writes (when changed) the tsconfig for this set of entry files, extending the project's tsconfig.json. */
export function programConfig(root: string, entries: string[]): string {
  const files = [...entries].map((f) => path.resolve(f)).sort();
  const key = createHash('sha256').update(root).update('\0').update(files.join('\0')).digest('hex').slice(0, 16);
  const dir = path.join(root, 'node_modules', '.cache', 'berth', 'typecheck');
  const file = path.join(dir, `tsconfig.${key}.json`);
  const config = {
    extends: path.join(root, 'tsconfig.json'),
    compilerOptions: { noEmit: true, incremental: true, tsBuildInfoFile: `./${key}.tsbuildinfo`, types: ['node'] },
    files,
    include: [],
  };
  const text = `${JSON.stringify(config, null, 2)}\n`;
  let old: string | undefined;
  try {
    old = fs.readFileSync(file, 'utf8');
  } catch {
    // first check of these entries
  }
  if (old !== text) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(file, text);
  }
  return file;
}

/** `a/b.ts(3,5): error TS1: m` -> `a/b.ts:3:5 - error TS1: m`; lines starting with a space continue the previous diagnostic. */
export function parseDiagnostics(output: string): string[] {
  const out: string[] = [];
  for (const line of output.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const m = /^(.+?)\((\d+),(\d+)\): (error|warning) (TS\d+): (.*)$/.exec(line);
    if (m) out.push(`${m[1]}:${m[2]}:${m[3]} - ${m[4]} ${m[5]}: ${m[6]}`);
    else if (/^\s/.test(line) && out.length > 0) out[out.length - 1] += `\n${line}`;
    else out.push(line);
  }
  return out;
}

/** Start checking `entries` (absolute or root-relative .ts files) in a child process. */
export function startTypeCheck(root: string, entries: string[]): TypeCheck {
  const t0 = Date.now();
  const { file, args } = compilerCommand();
  // One checker thread: synth runs beside it, and on 2 cores more threads only compete.
  const child = spawn(
    file,
    [
      ...args,
      '-p',
      programConfig(
        root,
        entries.map((e) => path.resolve(root, e)),
      ),
      '--pretty',
      'false',
      '--singleThreaded',
    ],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let cancelled = false;
  const chunks: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => chunks.push(c));
  child.stderr.on('data', (c: Buffer) => chunks.push(c));
  const result = new Promise<TypeCheckResult>((resolve) => {
    const done = (code: number | null, spawnError?: Error) => {
      const ms = Date.now() - t0;
      if (cancelled) return resolve({ ok: false, errors: [], ms });
      if (spawnError) return resolve({ ok: false, errors: [`could not run the TypeScript compiler ${file}: ${spawnError.message}`], ms });
      const errors = parseDiagnostics(Buffer.concat(chunks).toString('utf8'));
      if (code !== 0 && errors.length === 0) errors.push(`the TypeScript compiler exited with code ${code}`);
      resolve({ ok: code === 0 && errors.length === 0, errors, ms });
    };
    child.on('error', (e) => done(null, e));
    child.on('close', (code) => done(code));
  });
  return {
    result,
    cancel() {
      cancelled = true;
      child.kill();
    },
  };
}

/** Start type-checking the apps' programs (all apps when none named); undefined when off or nothing to check. */
export function startAppsTypeCheck(root: string, apps: string[] | undefined, enabled = true, appsRoot = path.join(root, 'apps')): TypeCheck | undefined {
  const names = apps && apps.length > 0 ? apps : listApps(appsRoot);
  const entries = names.map((n) => appEntry(n, appsRoot)).filter((f) => fs.existsSync(f));
  return enabled && entries.length > 0 ? startTypeCheck(root, entries) : undefined;
}
