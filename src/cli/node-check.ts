/**
 * Imported first by the CLI entry, before any module that needs a newer Node
 * (@kubernetes/client-node 2.x fails on Node 20 with an obscure TypeError):
 * says which Node berth needs and which it found, and exits with code 2.
 * No imports on purpose: this must run on any Node.
 */
export const REQUIRED_NODE = [22, 19] as const;

/** Problem with this Node version, or undefined when it is new enough. */
export function nodeVersionProblem(version: string, required: readonly [number, number] = REQUIRED_NODE): string | undefined {
  const [major, minor] = version.replace(/^v/, '').split('.').map(Number);
  if (major > required[0] || (major === required[0] && minor >= required[1])) return undefined;
  return `berth needs Node.js >= ${required[0]}.${required[1]} (found ${version}); install Node 22 or 24`;
}

const problem = nodeVersionProblem(process.version);
if (problem) {
  process.stderr.write(`${problem}\n`);
  process.exit(2);
}
