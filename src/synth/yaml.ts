import { Yaml } from 'cdk8s';

/**
 * Fast, byte-identical replacement for cdk8s' `Yaml.stringify(...docs)` on
 * plain JSON manifests. The `yaml` library's per-object cost dominated synth
 * of large apps (numbers live in bench/results/synth-*.md). This emitter
 * writes the common shapes directly and asks the `yaml` library for every
 * scalar that is not obviously plain; any shape it does not handle (multi-line
 * strings, nested sequences, odd keys) falls back to cdk8s' writer for that
 * document. Unit tests compare both writers on every app.
 */
export function stringifyManifests(docs: unknown[]): string {
  return docs.map(stringifyDoc).join('---\n');
}

class Fallback extends Error {}

function stringifyDoc(doc: unknown): string {
  if (doc === undefined) return '\n';
  if (!isPlainObject(doc) || Object.keys(doc).length === 0) return Yaml.stringify(doc);
  try {
    const out: string[] = [];
    writeMap(doc, '', out);
    return out.join('');
  } catch (e) {
    if (e instanceof Fallback) return Yaml.stringify(doc);
    throw e;
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `indent` is the indentation of this map's keys; output lines end with '\n'. */
function writeMap(map: Record<string, unknown>, indent: string, out: string[], firstPrefix?: string): void {
  let first = true;
  for (const key of Object.keys(map)) {
    const k = key_(key);
    const prefix = first && firstPrefix !== undefined ? firstPrefix : indent;
    first = false;
    writeEntry(`${prefix}${k}:`, map[key], indent, out);
  }
}

function writeEntry(head: string, value: unknown, indent: string, out: string[]): void {
  if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push(`${head} []\n`);
      return;
    }
    out.push(`${head}\n`);
    writeSeq(value, `${indent}  `, out);
  } else if (isPlainObject(value)) {
    if (Object.keys(value).length === 0) {
      out.push(`${head} {}\n`);
      return;
    }
    out.push(`${head}\n`);
    writeMap(value, `${indent}  `, out);
  } else {
    out.push(`${head} ${scalar(value)}\n`);
  }
}

/** Sequence items at `indent` ('- '), block maps continue at indent + 2. */
function writeSeq(seq: unknown[], indent: string, out: string[]): void {
  for (const item of seq) {
    if (Array.isArray(item)) throw new Fallback();
    if (isPlainObject(item)) {
      if (Object.keys(item).length === 0) {
        out.push(`${indent}- {}\n`);
        continue;
      }
      writeMap(item, `${indent}  `, out, `${indent}- `);
    } else {
      out.push(`${indent}- ${scalar(item)}\n`);
    }
  }
}

// Strings made only of these characters, starting with a letter or '/', are
// written plain by the yaml library unless they read as another type.
const SIMPLE = /^[A-Za-z/][A-Za-z0-9_./=+-]*$/;
// YAML 1.1 words that are booleans or null (resolved by the yaml library's 1.1 schema).
const RESERVED = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL)$/;
const scalarCache = new Map<string, string>();

function scalar(value: unknown): string {
  switch (typeof value) {
    case 'number':
      if (!Number.isFinite(value) || Object.is(value, -0)) throw new Fallback();
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return stringScalar(value);
    default:
      if (value === null) return 'null';
      throw new Fallback();
  }
}

function stringScalar(s: string): string {
  if (SIMPLE.test(s) && !RESERVED.test(s)) return s;
  if (s.includes('\n')) throw new Fallback(); // block scalars depend on indentation
  let r = scalarCache.get(s);
  if (r === undefined) {
    // cdk8s' writer (its own copy of the yaml library, its options) on the lone scalar.
    r = Yaml.stringify(s).replace(/\n$/, '');
    if (r.includes('\n')) throw new Fallback();
    scalarCache.set(s, r);
  }
  return r;
}

function key_(k: string): string {
  if (SIMPLE.test(k) && !RESERVED.test(k)) return k;
  throw new Fallback();
}
