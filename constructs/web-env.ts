import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import { MongoConnectionConfig } from './connection';
import { looksLikeCredential, onlyReferences, redactText, redactUrls, urlCredentials } from './credentials';
import { Problems, show } from './problems';
import * as rules from './rules';
import { isRecord, knownKeys, stringList, stringMap } from './shapes';

/** An env var read from a key of a Secret that exists outside this app (it is declared external). */
export interface SecretKeyRef {
  /** Name of the existing Secret, e.g. one made by an operator or by hand. */
  readonly secretName: string;
  /** Key inside that Secret. */
  readonly key: string;
}

/**
 * An env var whose value deploy generates: 32 random letters and digits,
 * created the first time the app is deployed and kept on every redeploy
 * (stored in the WebApp's `<name>-secrets` Secret, never in dist/).
 */
export interface GeneratedSecret {
  readonly generate: true;
}

/** Where a secret env var comes from. */
export type SecretEnvSource = SecretKeyRef | GeneratedSecret;

/** Names of the env vars the `database` wiring sets. */
export interface DatabaseEnvNames {
  /** @default 'MONGO_URL' */
  readonly url?: string;
  /** @default 'MONGO_USERNAME' */
  readonly username?: string;
  /** @default 'MONGO_PASSWORD' */
  readonly password?: string;
}

export interface WebEnvInput {
  readonly env?: Record<string, string>;
  readonly config?: Record<string, string>;
  readonly secretEnv?: Record<string, SecretEnvSource>;
  readonly allowPlainEnv?: string[];
  readonly databaseEnv?: DatabaseEnvNames;
}

export interface WebEnv {
  /** ConfigMap data (user config plus the database URL). */
  readonly configData: Record<string, string>;
  /** Container env: database credentials, then secretEnv, then plain env (so plain values can use $(NAME)). */
  readonly env: IEnvVar[];
  /** Keys of the WebApp's generated Secret (empty: no Secret). */
  readonly generatedKeys: string[];
  /** Existing Secrets read by secretEnv, to declare external. */
  readonly externalSecrets: string[];
}

const USE_INSTEAD = 'use secretEnv ({ generate: true } for a value deploy creates, or { secretName, key } of an existing Secret)';

/** Builds and checks the WebApp's config and env; `generatedSecret` is the name of its generated Secret. */
export function webEnv(input: WebEnvInput, db: MongoConnectionConfig | undefined, generatedSecret: string, problems: Problems): WebEnv {
  const allowPlain = new Set(stringList(problems, 'allowPlainEnv', input.allowPlainEnv) ?? []);
  const usedAllowances = new Set<string>();
  const plainValue = (prop: 'env' | 'config', name: string, value: string): void => {
    if (looksLikeCredential(name) && allowPlain.has(name)) usedAllowances.add(name);
    else if (looksLikeCredential(name) && value !== '' && !onlyReferences(value)) {
      problems.add(
        `${prop}.${name} (value not shown): the name looks like a credential, and ${prop} values are written to dist/ in plain text; ${USE_INSTEAD}, or list ${JSON.stringify(name)} in allowPlainEnv if it holds no secret`,
      );
      return;
    }
    const found = urlCredentials(value);
    if (found.length > 0) {
      const where = [...new Set(found.map((f) => f.where))].join(' and ');
      const fix =
        prop === 'env'
          ? 'reference Secret-backed variables instead, e.g. mongodb://$(MONGO_USERNAME):$(MONGO_PASSWORD)@host/ with `database` or secretEnv'
          : 'move it to env and reference Secret-backed variables there, e.g. mongodb://$(MONGO_USERNAME):$(MONGO_PASSWORD)@host/ (config values are not expanded)';
      problems.add(
        `${prop}.${name} = ${show(redactUrls(value))}: a URL carries a credential in its ${where}, which would be written to dist/ in plain text; ${fix}`,
      );
    }
  };

  const databaseEnv: DatabaseEnvNames | undefined = isRecord(input.databaseEnv) ? input.databaseEnv : undefined;
  if (input.databaseEnv !== undefined && databaseEnv === undefined)
    problems.add(`databaseEnv = ${show(input.databaseEnv)}: must be an object such as { url: 'DB_URL' }`);
  if (databaseEnv !== undefined) {
    knownKeys(problems, 'databaseEnv', databaseEnv, ['url', 'username', 'password'], 'databaseEnv');
    if (!db) problems.add('databaseEnv: given without `database`; it only renames the variables the database wiring sets');
    else if (!db.secret) {
      for (const k of ['username', 'password'] as const) {
        if (databaseEnv[k] !== undefined)
          problems.add(`databaseEnv.${k}: the database has no credentials (no auth or no credentialsSecret), so no ${k} variable is set`);
      }
    }
  }
  const envNames = {
    url: databaseEnv?.url ?? 'MONGO_URL',
    username: databaseEnv?.username ?? 'MONGO_USERNAME',
    password: databaseEnv?.password ?? 'MONGO_PASSWORD',
  };
  if (db) for (const [k, v] of Object.entries(envNames)) problems.checkText(`databaseEnv.${k}`, v, rules.envName);

  const configData: Record<string, string> = {};
  for (const [k, v] of stringMap(problems, 'config', input.config)) {
    if (!problems.check('config key', k, rules.dataKey(k) ?? rules.envName(k))) continue;
    if (typeof v !== 'string') {
      problems.add(`config.${k} ${shownValue(k, v)}: must be a string (quote numbers and booleans)`);
      continue;
    }
    if (/(^|[^$])\$\([A-Za-z_][-._A-Za-z0-9]*\)/.test(v)) {
      problems.add(
        `config.${k} ${shownValue(k, v)}: $(NAME) references are not expanded in ConfigMap values; move ${k} to env, where Kubernetes fills them in`,
      );
      continue;
    }
    plainValue('config', k, v);
    configData[k] = v;
  }
  if (db) {
    if (envNames.url in configData) problems.add(`config.${envNames.url}: set by \`database\`; remove it from config or rename it with databaseEnv.url`);
    configData[envNames.url] = db.url;
  }

  // Env: Secret-backed variables first, so plain values can use them as $(MONGO_USERNAME).
  const env: { v: IEnvVar; from: string }[] = [];
  if (db?.secret) {
    env.push(
      { v: { name: envNames.username, valueFrom: { secretKeyRef: { name: db.secret.name, key: db.secret.usernameKey } } }, from: 'database wiring' },
      { v: { name: envNames.password, valueFrom: { secretKeyRef: { name: db.secret.name, key: db.secret.passwordKey } } }, from: 'database wiring' },
    );
  }
  const generatedKeys: string[] = [];
  const externalSecrets: string[] = [];
  for (const [name, src] of stringMap(problems, 'secretEnv', input.secretEnv)) {
    if (!problems.check('secretEnv key', name, rules.envName(name))) continue;
    const ref = secretRef(`secretEnv.${name}`, src, problems);
    if (ref === 'generate') {
      generatedKeys.push(name);
      env.push({ v: { name, valueFrom: { secretKeyRef: { name: generatedSecret, key: name } } }, from: 'secretEnv' });
    } else if (ref) {
      externalSecrets.push(ref.secretName);
      env.push({ v: { name, valueFrom: { secretKeyRef: { name: ref.secretName, key: ref.key } } }, from: 'secretEnv' });
    }
  }
  for (const [name, value] of stringMap(problems, 'env', input.env)) {
    if (!problems.check('env key', name, rules.envName(name))) continue;
    if (typeof value !== 'string') {
      problems.add(`env.${name} ${shownValue(name, value)}: must be a string (quote numbers and booleans)`);
      continue;
    }
    env.push({ v: { name, value }, from: 'env' });
  }

  const seen = new Map<string, string>();
  for (const { v, from } of env) {
    const first = seen.get(v.name);
    if (first !== undefined) {
      problems.add(
        first === 'database wiring' || from === 'database wiring'
          ? `env.${v.name}: defined twice (${from} and database wiring); rename one with databaseEnv`
          : `env.${v.name}: defined twice (${first} and ${from}); keep one`,
      );
      continue;
    }
    seen.set(v.name, from);
    if (v.name in configData) {
      problems.add(`env.${v.name}: also a config key; env would silently win over the ConfigMap`);
      continue;
    }
    if (from === 'env') plainValue('env', v.name, v.value!);
  }
  for (const name of allowPlain) {
    if (!usedAllowances.has(name)) {
      problems.add(`allowPlainEnv = ${show(name)}: names no env or config entry whose name looks like a credential; remove it`);
    }
  }
  return { configData, env: env.map((e) => e.v), generatedKeys, externalSecrets };
}

/** command/args land in dist/ too: no URL with a password, no `--password=<plain value>`. */
export function checkArgs(problems: Problems, lists: { command?: string[]; args?: string[] }): void {
  for (const [prop, list] of Object.entries(lists)) {
    for (const [i, a] of (list ?? []).entries()) {
      const found = urlCredentials(a);
      if (found.length > 0)
        problems.add(`${prop}[${i}] = ${show(redactUrls(a))}: a URL carries a credential in its ${found[0].where}; pass it as $(NAME) from secretEnv instead`);
      const flag = /^--?([A-Za-z][-_.A-Za-z0-9]*)=(.*)$/s.exec(a);
      if (flag && found.length === 0 && looksLikeCredential(flag[1]) && flag[2] !== '' && !onlyReferences(flag[2])) {
        problems.add(
          `${prop}[${i}] (value not shown): --${flag[1]} looks like a credential, written to dist/ in plain text; pass it as --${flag[1]}=$(NAME) with NAME from secretEnv`,
        );
      }
    }
  }
}

/** `= <value>` for a message, or `(value not shown)` when the name looks like a credential. */
function shownValue(name: string, value: unknown): string {
  return looksLikeCredential(name) ? '(value not shown)' : `= ${show(typeof value === 'string' ? redactText(value) : value)}`;
}

function secretRef(prop: string, src: unknown, problems: Problems): SecretKeyRef | 'generate' | undefined {
  const example = "{ generate: true } or { secretName: 'api-keys', key: 'token' }";
  if (!isRecord(src)) {
    // Likely the secret itself: never shown.
    problems.add(`${prop} (value not shown): must be ${example}; secretEnv never takes the value itself`);
    return undefined;
  }
  knownKeys(problems, prop, src, ['generate', 'secretName', 'key'], 'secretEnv entry');
  if (src.generate !== undefined) {
    if (src.generate !== true || src.secretName !== undefined || src.key !== undefined) {
      problems.add(`${prop} = ${show(src)}: must be ${example}, not both`);
      return undefined;
    }
    return 'generate';
  }
  const okName = problems.checkText(`${prop}.secretName`, src.secretName, rules.dns1123Subdomain);
  const okKey = problems.checkText(`${prop}.key`, src.key, rules.dataKey);
  return okName && okKey ? { secretName: src.secretName as string, key: src.key as string } : undefined;
}
