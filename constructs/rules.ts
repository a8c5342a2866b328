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

/** Environment variable names as the API server accepts them (C identifier style is safest, this is the API rule). */
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

const SUFFIX: Record<string, number> = {
  '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** Numeric value of a quantity already checked by cpuQuantity/byteQuantity (used to compare requests with limits). */
export function quantityValue(value: string): number {
  const m = /^([0-9.]+)([a-zA-Z]*)$/.exec(value);
  if (!m) return NaN;
  return Number(m[1]) * (SUFFIX[m[2]] ?? NaN);
}

/**
 * A container image reference: [registry/]path[:tag][@digest], lowercase path.
 * Tag `latest` or no tag is refused: deploys must be reproducible.
 */
export function imageRef(value: string): string | undefined {
  const m = /^((?:[a-zA-Z0-9.-]+(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(?::([\w][\w.-]{0,127}))?(?:@(sha256:[a-f0-9]{64}))?$/.exec(value);
  if (!m) return "must be an image reference such as 'mongo:7.0.14' or 'registry.example.com/team/web:1.2.3'";
  if (m[2] === undefined && m[3] === undefined) return "must carry a pinned tag or digest (e.g. 'mongo:7.0.14'); an untagged image means ':latest'";
  if (m[2] === 'latest' && m[3] === undefined) return "must carry a pinned tag or digest; ':latest' is not reproducible";
  return undefined;
}

/** MongoDB database names: no '/\\. "$*<>:|?', at most 63 bytes. */
export function mongoDatabaseName(value: string): string | undefined {
  if (value.length === 0 || Buffer.byteLength(value) > 63 || /[/\\. "$*<>:|?\0]/.test(value)) {
    return "must be 1-63 bytes without '/', '\\', '.', ' ', '\"', '$', '*', '<', '>', ':', '|' or '?'";
  }
  return undefined;
}
