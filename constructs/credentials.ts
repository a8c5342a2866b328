/**
 * Pure checks that keep credentials out of dist/: names that look like
 * credentials, and URLs that carry a password (user info or query options).
 * Nothing here ever returns a credential's value: findings name the part of
 * the URL, and `redactUrls` masks the secret parts before a value is shown.
 */

/** Name parts that are a credential on their own (`DB_PASSWORD`, `JWT_SECRET`, `GITHUB_TOKEN`). */
const CREDENTIAL_WORDS = new Set([
  'PASSWORD',
  'PASSWORDS',
  'PASSWD',
  'PASS',
  'PWD',
  'PASSPHRASE',
  'SECRET',
  'SECRETS',
  'TOKEN',
  'TOKENS',
  'CREDENTIAL',
  'CREDENTIALS',
  'CREDS',
  'APIKEY',
  'PRIVATEKEY',
  'ACCESSKEY',
  'SECRETKEY',
  'AUTHTOKEN',
]);

/** Qualifiers that make `<qualifier>_KEY` a credential (`API_KEY`, `PRIVATE_KEY`, `AWS_SECRET_ACCESS_KEY`). */
const KEY_QUALIFIERS = new Set(['API', 'PRIVATE', 'ACCESS', 'SECRET', 'SIGNING', 'ENCRYPTION', 'MASTER', 'LICENSE', 'SERVICE', 'CLIENT', 'SESSION']);

/**
 * A last name part that says the variable is *about* a credential, not the
 * credential itself: `TOKEN_TTL_SECONDS`, `SECRET_NAME`, `DB_PASSWORD_FILE`, `API_KEY_HEADER`.
 */
const DESCRIPTOR_WORDS = new Set([
  'NAME',
  'NAMES',
  'FILE',
  'PATH',
  'DIR',
  'URL',
  'URI',
  'ENDPOINT',
  'HOST',
  'PORT',
  'ID',
  'REF',
  'TTL',
  'SECONDS',
  'SEC',
  'MS',
  'MINUTES',
  'HOURS',
  'DAYS',
  'EXPIRY',
  'EXPIRES',
  'EXPIRATION',
  'LIFETIME',
  'TIMEOUT',
  'LENGTH',
  'LEN',
  'MIN',
  'MAX',
  'SIZE',
  'HEADER',
  'PARAM',
  'FIELD',
  'TYPE',
  'ALGORITHM',
  'ALG',
  'ENABLED',
  'DISABLED',
  'REQUIRED',
  'POLICY',
  'MODE',
  'COUNT',
  'LIMIT',
  'VERSION',
  'FORMAT',
  'PREFIX',
  'ISSUER',
  'AUDIENCE',
  'SCOPE',
  'SCOPES',
  'COOKIE',
  'LOCATION',
]);

/** `dbPassword`, `DB_PASSWORD`, `db-password`, `db.password` → ['DB', 'PASSWORD']. */
function nameParts(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((p) => p.toUpperCase());
}

/**
 * True when a variable or option name looks like it holds a credential: one
 * of its parts is a credential word (or `<qualifier>_KEY`), unless its last
 * part only describes the credential (a TTL, a file, a name, a URL ...).
 */
export function looksLikeCredential(name: string): boolean {
  const parts = nameParts(name);
  if (parts.length === 0) return false;
  // A shell's working directory, not a password.
  if (parts.length === 1 && (parts[0] === 'PWD' || parts[0] === 'OLDPWD')) return false;
  const hit = parts.some((p, i) => CREDENTIAL_WORDS.has(p) || ((p === 'KEY' || p === 'KEYS') && i > 0 && KEY_QUALIFIERS.has(parts[i - 1])));
  return hit && !DESCRIPTOR_WORDS.has(parts[parts.length - 1]);
}

/** `$(VAR)` references only (or nothing): Kubernetes fills them in the pod, so nothing secret is written. */
export function onlyReferences(value: string): boolean {
  return value.replace(/\$\([A-Za-z_][-._A-Za-z0-9]*\)/g, '').length === 0;
}

/** Where a URL carries a credential, without the credential itself. */
export interface UrlCredential {
  /** e.g. 'user info (user:password@)' or 'query option "password"'. */
  readonly where: string;
}

const URL_END = /[\s"'<>`]/g;

/**
 * Each URL-like substring of `text`: from `scheme://` up to whitespace or a quote.
 * Found from each '://' backwards (linear: a regex scanning for the scheme would
 * backtrack quadratically over a long value without one).
 */
function urlsIn(text: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let from = 0;
  for (let sep = text.indexOf('://'); sep >= 0; sep = text.indexOf('://', from)) {
    let start = sep;
    while (start > from && /[A-Za-z0-9+.-]/.test(text[start - 1])) start--;
    while (start < sep && !/[A-Za-z]/.test(text[start])) start++;
    URL_END.lastIndex = sep;
    const stop = URL_END.exec(text);
    const end = stop ? stop.index : text.length;
    if (start < sep) out.push({ start, end });
    from = Math.max(end, sep + 3);
  }
  return out;
}

interface UrlParts {
  /** Offsets in the URL of the password in the user info, if any. */
  readonly password?: { start: number; end: number };
  /** Offsets of credential-valued query options (or authMechanismProperties entries). */
  readonly options: { name: string; start: number; end: number }[];
}

/** Split a URL just enough to find credentials; tolerant of malformed input (fails closed). */
function parseUrl(url: string): UrlParts {
  const afterScheme = url.indexOf('://') + 3;
  const queryAt = url.search(/[?#]/);
  const authorityEnd = queryAt < 0 ? url.length : queryAt;
  const authority = url.slice(afterScheme, authorityEnd);
  let password: UrlParts['password'];
  const at = authority.lastIndexOf('@');
  if (at >= 0) {
    const userinfo = authority.slice(0, at);
    const colon = userinfo.indexOf(':');
    // `host:8080/path/@x` is a port and a path, not user info.
    const isPort = colon >= 0 && /^[0-9]+\//.test(userinfo.slice(colon + 1));
    if (colon >= 0 && !isPort && colon + 1 < userinfo.length) {
      password = { start: afterScheme + colon + 1, end: afterScheme + at };
    }
  }
  const options: UrlParts['options'] = [];
  if (queryAt >= 0 && url[queryAt] === '?') {
    const hash = url.indexOf('#', queryAt);
    const queryEnd = hash < 0 ? url.length : hash;
    let pos = queryAt + 1;
    for (const pair of url.slice(queryAt + 1, queryEnd).split('&')) {
      const eq = pair.indexOf('=');
      const name = safeDecode(eq < 0 ? pair : pair.slice(0, eq));
      const valueStart = pos + eq + 1;
      if (eq >= 0 && looksLikeCredential(name)) {
        options.push({ name, start: valueStart, end: pos + pair.length });
      } else if (eq >= 0 && name.toLowerCase() === 'authmechanismproperties') {
        // MongoDB: `KEY:value,KEY:value`, e.g. AWS_SESSION_TOKEN:<token>.
        let p = valueStart;
        for (const prop of pair.slice(eq + 1).split(',')) {
          const decoded = safeDecode(prop);
          const colon = decoded.indexOf(':');
          const rawColon = /:|%3A/i.exec(prop);
          if (colon >= 0 && rawColon && looksLikeCredential(decoded.slice(0, colon))) {
            options.push({ name: `authMechanismProperties ${decoded.slice(0, colon)}`, start: p + rawColon.index + rawColon[0].length, end: p + prop.length });
          }
          p += prop.length + 1;
        }
      }
      pos += pair.length + 1;
    }
  }
  return { password, options };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

const isSecretValue = (url: string, r: { start: number; end: number }) => !onlyReferences(safeDecode(url.slice(r.start, r.end)));

/** Every place in `text` where a URL carries a plain credential ($(VAR) references are fine). */
export function urlCredentials(text: string): UrlCredential[] {
  const found: UrlCredential[] = [];
  for (const { start, end } of urlsIn(text)) {
    const url = text.slice(start, end);
    const parts = parseUrl(url);
    if (parts.password && isSecretValue(url, parts.password)) found.push({ where: 'user info (user:password@)' });
    for (const o of parts.options) if (isSecretValue(url, o)) found.push({ where: `query option ${JSON.stringify(o.name)}` });
  }
  return found;
}

/** `text` with the password of each URL's user info and each credential option value replaced by `***`. */
export function redactUrls(text: string): string {
  const cuts: { start: number; end: number }[] = [];
  for (const { start, end } of urlsIn(text)) {
    const parts = parseUrl(text.slice(start, end));
    for (const r of [...(parts.password ? [parts.password] : []), ...parts.options]) cuts.push({ start: start + r.start, end: start + r.end });
  }
  cuts.sort((a, b) => b.start - a.start);
  let out = text;
  for (const c of cuts) out = out.slice(0, c.start) + '***' + out.slice(c.end);
  return out;
}

const NAME_CHAR = /[-.\w]/;
const VALUE_END = /[\s&,;"']/;

/**
 * `text` with URL credentials masked (redactUrls) and with the value of each
 * `NAME=value` whose name looks like a credential (`--db-password=x`,
 * `DB_PASSWORD=x`) replaced by `***`: for echoing a wrongly shaped prop.
 */
export function redactText(text: string): string {
  const masked = redactUrls(text);
  let out = '';
  let copied = 0;
  let floor = 0;
  for (let eq = masked.indexOf('='); eq >= 0; eq = masked.indexOf('=', eq + 1)) {
    let start = eq;
    while (start > floor && NAME_CHAR.test(masked[start - 1])) start--;
    let end = eq + 1;
    while (end < masked.length && !VALUE_END.test(masked[end])) end++;
    const value = masked.slice(eq + 1, end);
    if (looksLikeCredential(masked.slice(start, eq)) && value !== '' && value !== '***' && !onlyReferences(value)) {
      out += masked.slice(copied, eq + 1) + '***';
      copied = end;
    }
    floor = eq + 1;
  }
  return out + masked.slice(copied);
}
