import type { ManifestObject } from './manifests';
import type { SchemaCache } from './schema-cache';

type Validator = (data: unknown) => void;
const cache = new Map<string, Validator | null>();

/**
 * Offline validation of each object against the Kubernetes OpenAPI schema
 * shipped (as precompiled validators) in `kubernetes-models`. Kinds it does
 * not know (e.g. custom resources) are reported, since they cannot be checked.
 */
export function checkSchemas(objects: ManifestObject[], cache?: SchemaCache): string[] {
  const errors: string[] = [];
  for (const o of objects) {
    const key = cache?.key(o.doc);
    if (key !== undefined && cache!.has(key)) {
      cache!.markValid(key);
      continue;
    }
    const { apiVersion, kind } = o.doc;
    const where = `${kind} ${JSON.stringify(o.doc.metadata?.name)} (${o.path})`;
    const validate = validatorFor(apiVersion, kind);
    if (!validate) {
      errors.push(
        `${where}: no offline schema for apiVersion ${JSON.stringify(apiVersion)} kind ${JSON.stringify(kind)}; berth can only validate built-in Kubernetes kinds`,
      );
      continue;
    }
    try {
      validate(o.doc);
      if (key !== undefined) cache!.markValid(key);
    } catch (e: any) {
      for (const msg of describeSchemaErrors(e)) errors.push(`${where}: schema: ${msg}`);
    }
  }
  cache?.save();
  return errors;
}

function validatorFor(apiVersion: unknown, kind: unknown): Validator | undefined {
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || !/^[A-Za-z0-9]+$/.test(kind)) return undefined;
  const key = `${apiVersion}/${kind}`;
  if (!cache.has(key)) cache.set(key, load(apiVersion, kind));
  return cache.get(key) ?? undefined;
}

function load(apiVersion: string, kind: string): Validator | null {
  const dir = apiVersion.includes('/') ? apiVersion : `v1`;
  if (!/^[a-z0-9.-]+(\/[a-z0-9]+)?$/.test(dir)) return null;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(`kubernetes-models/${dir}/${kind}`);
    const Model = mod[kind];
    if (!Model || Model.apiVersion !== apiVersion || Model.kind !== kind) return null;
    return (data) => new Model(data).validate();
  } catch {
    return null;
  }
}

/** ajv reports a bad quantity three times (type, format, oneOf); keep the most telling message per field. */
function describeSchemaErrors(e: any): string[] {
  const list: any[] = Array.isArray(e?.errors) ? e.errors : [];
  if (list.length === 0) return [String(e?.message ?? e)];
  const byPath = new Map<string, any[]>();
  for (const x of list) byPath.set(x.instancePath, [...(byPath.get(x.instancePath) ?? []), x]);
  const rank = (k: string) => (k === 'format' ? 0 : k === 'oneOf' || k === 'anyOf' ? 3 : k === 'type' ? 2 : 1);
  return [...byPath.entries()].map(([p, xs]) => {
    const best = [...xs].sort((a, b) => rank(a.keyword) - rank(b.keyword))[0];
    const extra =
      best.keyword === 'additionalProperties'
        ? ` (${JSON.stringify(best.params?.additionalProperty)})`
        : best.keyword === 'enum'
          ? ` (${JSON.stringify(best.params?.allowedValues)})`
          : '';
    return `${p.replace(/^\//, '').replace(/\//g, '.') || '(root)'} ${best.message}${extra}`;
  });
}
