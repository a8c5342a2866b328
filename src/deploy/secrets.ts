/**
 * Deploy-time Secrets: keys listed in the `berth.dev/generate-keys`
 * annotation are not in dist/; deploy fills them with random values the
 * first time and re-sends the live values afterwards, so a redeploy never
 * changes them (and server-side apply never drops them). Values are never
 * logged: callers only ever see key names.
 */
import { randomBytes } from 'node:crypto';
import { GENERATE_KEYS_ANNOTATION, parseGenerateKeys } from '../contract';
import type { KObject } from '../kube/types';
import { UsageError } from '../errors';

const GENERATED_LENGTH = 32;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** 32 random characters from [A-Za-z0-9] (no bias: rejection sampling). */
export function randomValue(length = GENERATED_LENGTH, rand: (n: number) => Buffer = randomBytes): string {
  let out = '';
  const limit = 256 - (256 % ALPHABET.length);
  while (out.length < length) {
    for (const b of rand(length * 2)) {
      if (b < limit) out += ALPHABET[b % ALPHABET.length];
      if (out.length === length) break;
    }
  }
  return out;
}

/** Keys a Secret asks berth to generate (empty when not annotated). */
export function generatedKeys(obj: KObject): string[] {
  if (obj.kind !== 'Secret' || obj.apiVersion !== 'v1') return [];
  return parseGenerateKeys(obj.metadata.annotations?.[GENERATE_KEYS_ANNOTATION]);
}

export interface SecretFill {
  /** The object to apply (a copy; input is not modified). */
  obj: KObject;
  /** Keys that got new random values (empty when all already existed). */
  generated: string[];
}

/**
 * The Secret to apply: dist content plus, for each generated key, the live
 * value when the live Secret has it, a new random value otherwise.
 * Throws if dist itself carries a value for a generated key (it must not:
 * that value would be in plain text in dist/).
 */
export function fillGeneratedKeys(desired: KObject, live: KObject | undefined, rand?: (n: number) => Buffer): SecretFill {
  const keys = generatedKeys(desired);
  if (keys.length === 0) return { obj: desired, generated: [] };
  const obj: KObject = structuredClone(desired);
  for (const k of keys) {
    if (obj.data?.[k] !== undefined || obj.stringData?.[k] !== undefined) {
      throw new UsageError(
        `Secret ${desired.metadata.name}: key "${k}" is listed in ${GENERATE_KEYS_ANNOTATION} but also has a value in dist/; ` +
          `remove the value (berth generates it at deploy time) or the key from the annotation`,
      );
    }
  }
  const generated: string[] = [];
  obj.data = { ...(obj.data ?? {}) };
  for (const k of keys) {
    const existing = live?.data?.[k];
    if (existing !== undefined) obj.data[k] = existing;
    else {
      obj.data[k] = Buffer.from(randomValue(GENERATED_LENGTH, rand)).toString('base64');
      generated.push(k);
    }
  }
  return { obj, generated };
}
