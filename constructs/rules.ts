/**
 * Pure format rules shared by the constructs and the manifest checks.
 * Each returns `undefined` when the value is fine, or a sentence saying what is allowed.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function dns1123Label(value: string, max = 63): string | undefined {
  if (value.length > max || !DNS1123_LABEL.test(value)) {
    return `must be a DNS-1123 label: at most ${max} characters, lowercase letters, digits and '-', starting and ending with a letter or digit`;
  }
  return undefined;
}

export function dns1035Label(value: string): string | undefined {
  if (value.length > 63 || !DNS1035_LABEL.test(value)) {
    return "must be a DNS-1035 label: at most 63 characters, lowercase letters, digits and '-', starting with a letter and ending with a letter or digit";
  }
  return undefined;
}

export function dns1123Subdomain(value: string): string | undefined {
  if (value.length > 253 || !DNS1123_SUBDOMAIN.test(value)) {
    return "must be a DNS-1123 subdomain: at most 253 characters, lowercase letters, digits, '-' and '.', each part starting and ending with a letter or digit";
  }
  return undefined;
}

/** An Ingress host: a DNS subdomain, optionally with a leading `*.` wildcard; no port, no scheme. */
export function ingressHost(value: string): string | undefined {
  const bare = value.startsWith('*.') ? value.slice(2) : value;
  if (dns1123Subdomain(bare) !== undefined || /^[0-9.]+$/.test(bare)) {
    return "must be a host name such as 'my-app.com' or '*.example.org' (lowercase, no scheme, no port, no path, not an IP address)";
  }
  return undefined;
}

export function port(value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65535) {
    return 'must be an integer from 1 to 65535';
  }
  return undefined;
}

export function nodePort(value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 30000 || value > 32767) {
    return 'must be an integer from 30000 to 32767 (the default NodePort range)';
  }
  return undefined;
}

export function intRange(value: unknown, min: number, max: number): string | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    return `must be an integer from ${min} to ${max}`;
  }
  return undefined;
}

/** An HTTP path for probes and Ingress rules. */
export function httpPath(value: string): string | undefined {
  if (!/^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/.test(value)) {
    return "must start with '/' and contain only URL path characters (no spaces, no '?' or '#')";
  }
  return undefined;
}

/**
 * An Ingress path of pathType Prefix: an HTTP path that the API server also
 * accepts there (no '//', '/./', '/../' or encoded '/', not ending in '/.' or '/..').
 */
export function ingressPath(value: string): string | undefined {
  const base = httpPath(value);
  if (base !== undefined) return base;
  if (/\/\/|\/\.\/|\/\.\.\/|%2f/i.test(value) || /\/\.\.?$/.test(value)) {
    return "must be a plain path: no '//', '/./', '/../' or '%2F', and not ending in '/.' or '/..'";
  }
  return undefined;
}

/**
 * Environment variable names: the API server's long-standing rule. Kubernetes
 * 1.30+ can accept any printable ASCII but '=' (RelaxedEnvironmentVariableValidation,
 * on by default only from 1.32), so names outside this rule would fail on older
 * clusters, and shells cannot read them; berth keeps the portable rule.
 */
export function envName(value: string): string | undefined {
  if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(value)) {
    return "must start with a letter, '_', '-' or '.' and contain only letters, digits, '_', '-' and '.'";
  }
  return undefined;
}

/** ConfigMap and Secret data keys. */
export function dataKey(value: string): string | undefined {
  if (value.length === 0 || value.length > 253 || !/^[-._a-zA-Z0-9]+$/.test(value)) {
    return "must be 1-253 characters of letters, digits, '-', '_' and '.'";
  }
  return undefined;
}

const QUANTITY = /^[0-9]+(\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
const BINARY_OR_DECIMAL_BYTES = /^[0-9]+(\.[0-9]+)?(k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;

/** CPU: cores as '500m', '0.5' or '2'. */
export function cpuQuantity(value: string): string | undefined {
  if (!QUANTITY.test(value)) return "must be a CPU quantity such as '250m', '0.5' or '2'";
  return undefined;
}

/** Memory and storage: bytes with a suffix such as '512Mi' or '1Gi' ('m' would mean thousandths of a byte). */
export function byteQuantity(value: string): string | undefined {
  if (!BINARY_OR_DECIMAL_BYTES.test(value)) {
    if (QUANTITY.test(value) && value.endsWith('m')) {
      return `must be a byte quantity such as '512Mi' or '1Gi' ('${value}' means thousandths of a byte; did you mean '${value.slice(0, -1)}Mi'?)`;
    }
    return "must be a byte quantity such as '512Mi', '1Gi' or '1G'";
  }
  return undefined;
}

/** Numeric value of a quantity already checked by cpuQuantity/byteQuantity (used to compare requests with limits). */
export { quantityValue } from '../src/kube/quantity';

/**
 * A container image reference: [registry/]path[:tag][@digest], lowercase path.
 * Tag `latest` or no tag is refused: deploys must be reproducible.
 */
export function imageRef(value: string): string | undefined {
  const m =
    /^((?:[a-zA-Z0-9.-]+(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(?::([\w][\w.-]{0,127}))?(?:@(sha256:[a-f0-9]{64}))?$/.exec(
      value,
    );
  if (!m) return "must be an image reference such as 'mongo:7.0.14' or 'registry.example.com/team/web:1.2.3'";
  // A first component without '.', ':' or 'localhost' is a path, not a registry host, and paths are lowercase.
  const first = m[1].includes('/') ? m[1].split('/')[0] : '';
  if (/[A-Z]/.test(first) && !/[.:]/.test(first) && first !== 'localhost') {
    return "must be an image reference such as 'mongo:7.0.14' or 'registry.example.com/team/web:1.2.3' (a path is lowercase; a registry host needs a '.' or a port)";
  }
  if (m[1].length > 255) return 'must have a name (registry and path) of at most 255 characters';
  if (m[2] === undefined && m[3] === undefined) return "must carry a pinned tag or digest (e.g. 'mongo:7.0.14'); an untagged image means ':latest'";
  if (m[2] === 'latest' && m[3] === undefined) return "must carry a pinned tag or digest; ':latest' is not reproducible";
  return undefined;
}

/** MongoDB database names: no '/\\. "$*<>:|?', at most 63 bytes. */
export function mongoDatabaseName(value: string): string | undefined {
  if (value.length === 0 || Buffer.byteLength(value) > 63 || /[/\\. "$*<>:|?\0]/.test(value)) {
    return "must be 1-63 bytes without '/', '\\', '.', ' ', '\"', '$', '*', '<', '>', ':', '|' or '?'";
  }
  // Control characters (newlines, tabs) pass MongoDB's own list but break URLs, logs and tools.
  if (/[\u0000-\u001f\u007f]/.test(value)) return 'must not contain control characters such as newlines or tabs';
  return undefined;
}
