// @ts-check
'use strict';
/**
 * Runs berth's TypeScript (CLI, constructs, apps) without a build step: a require hook that
 * transpiles each .ts file with swc the first time it is loaded and keeps the JS under
 * node_modules/.cache/berth/js/<hash of the path>/<hash of the exact content, the transpiler's
 * version and settings>.js. A cached file therefore always belongs to the source as it is now; an
 * edited file is transpiled again, never run from an older output, and its older outputs are
 * deleted then, so the cache holds about one file per source. Source maps are inline
 * (`node --enable-source-maps bin/berth.js …` for TypeScript lines in stack traces).
 * Types are not checked here: `berth synth` runs the type checker in parallel (src/synth/typecheck.ts).
 * Plain JavaScript because it is what loads the TypeScript.
 */
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const CACHE_DIR = path.join(ROOT, 'node_modules', '.cache', 'berth', 'js');
// Bump when the options below change: part of every cache key.
const SETTINGS = 'swc-cjs-es2022-inline-maps-1';

/** @type {typeof import('@swc/core') | undefined} */
let swc;
/** @type {string | undefined} */
let salt;

function cacheSalt() {
  if (salt === undefined) {
    salt = `${SETTINGS}:${JSON.parse(fs.readFileSync(require.resolve('@swc/core/package.json'), 'utf8')).version}`;
  }
  return salt;
}

const sha256 = (/** @type {string} */ s) => createHash('sha256').update(s).digest('hex');

/** The cache file for this source (same name <=> same path, content, transpiler). */
function cacheFile(filename, source) {
  return path.join(CACHE_DIR, sha256(filename).slice(0, 32), `${sha256(`${cacheSalt()}\0${source}`).slice(0, 40)}.js`);
}

/** TypeScript source -> CommonJS, the same module semantics as tsconfig.json (esModuleInterop). */
function transpile(filename, source) {
  swc ??= require('@swc/core');
  return swc.transformSync(source, {
    filename,
    sourceMaps: 'inline',
    swcrc: false,
    configFile: false,
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022', keepClassNames: true },
    module: { type: 'commonjs' },
  }).code;
}

/** JS for a .ts file: from the cache when the cache holds this exact content, else transpiled and stored. */
function compiled(filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const file = cacheFile(filename, source);
  try {
    return { code: fs.readFileSync(file, 'utf8'), cached: true };
  } catch {
    // not cached yet
  }
  const code = transpile(filename, source);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, code);
    fs.renameSync(tmp, file); // whole files only, also with two berth processes at once
    for (const old of fs.readdirSync(path.dirname(file))) {
      if (old !== path.basename(file) && old.endsWith('.js')) fs.rmSync(path.join(path.dirname(file), old), { force: true });
    }
  } catch {
    // a read-only tree still works, just without the cache
  }
  return { code, cached: false };
}

/** @param {NodeJS.Module & { _compile(code: string, filename: string): void }} module */
function loadTs(module, filename) {
  module._compile(compiled(filename).code, filename);
}

/** Make require() load .ts files through the cache (idempotent). */
function register() {
  const extensions = /** @type {any} */ (Module)._extensions;
  if (extensions['.ts'] !== loadTs) extensions['.ts'] = loadTs;
}

module.exports = { register, compiled, cacheFile, CACHE_DIR };
