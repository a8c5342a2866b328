import { redactText } from './credentials';
import { Problems, show } from './problems';

/** A user value as a message shows it, with anything that looks like a credential masked. */
const showMasked = (value: unknown) =>
  typeof value === 'string'
    ? show(redactText(value))
    : Array.isArray(value)
      ? show(value.map((v) => (typeof v === 'string' ? redactText(v) : v)))
      : show(value);

/**
 * Shape checks for props from plain JavaScript (or `as any`): a string where
 * an object is expected, a misspelt prop, a map that is an array. TypeScript
 * catches most of these at compile time; these give the same clarity at synth
 * time instead of an internal TypeError or a prop that is silently dropped.
 */

/** A plain object: not null, not an array, not a string. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reports `value` unless it is a plain object (or undefined when `optional`).
 * Returns the object to read props from: `{}` when the shape is wrong, so the
 * construct can go on and report the remaining problems.
 */
export function objectProp<T extends object>(problems: Problems, prop: string, value: unknown, example: string, optional = true): Partial<T> {
  if (value === undefined && optional) return {};
  if (isRecord(value)) return value as Partial<T>;
  problems.add(`${prop} = ${show(value)}: must be ${example.startsWith('an ') || example.startsWith('a ') ? example : `an object such as ${example}`}`);
  return {};
}

/** The construct's props object; anything else is the one problem reported for the construct. */
export function constructProps<T extends object>(problems: Problems, value: unknown, example: string, optional = false): Partial<T> {
  if (value === undefined && optional) return {};
  if (isRecord(value)) return value as Partial<T>;
  problems.add(`props = ${show(value)}: must be an object such as ${example}`);
  problems.silence();
  return {};
}

/** Reports every key of `value` that is not in `known` (a typo would otherwise be silently ignored). */
export function knownKeys(problems: Problems, prop: string | undefined, value: object, known: readonly string[], what: string): void {
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const near = known.find((k) => k.toLowerCase() === key.toLowerCase() || k === `${key}s` || `${k}s` === key);
    problems.add(`${prop ? `${prop}.` : ''}${key}: unknown ${what} prop${near ? ` (did you mean ${near}?)` : ''}; ${what} takes ${known.join(', ')}`);
  }
}

/** A map of strings (env, config): reports a wrong shape and returns its entries (none when the shape is wrong). */
export function stringMap(problems: Problems, prop: string, value: unknown): [string, unknown][] {
  if (value === undefined) return [];
  if (!isRecord(value)) {
    problems.add(`${prop} = ${showMasked(value)}: must be an object of names to string values, such as { LOG_LEVEL: 'info' }`);
    return [];
  }
  return Object.entries(value);
}

/** An optional boolean: `'false'` (a string) would otherwise count as true. */
export function booleanProp(problems: Problems, prop: string, value: unknown): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  problems.add(`${prop} = ${show(value)}: must be true or false`);
  return undefined;
}

/** An optional list of strings (command, args, allowPlainEnv). */
export function stringList(problems: Problems, prop: string, value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    problems.add(`${prop} = ${showMasked(value)}: must be a list of strings, such as ['node', 'server.js']`);
    return undefined;
  }
  return value;
}
