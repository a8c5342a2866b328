import * as fs from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { nodeVersionProblem, REQUIRED_NODE } from '../../../src/cli/node-check';

const ROOT = path.resolve(__dirname, '../../..');

test('Node 22.19 and newer pass; older ones get what is needed and what was found', () => {
  expect(nodeVersionProblem('v22.19.0')).toBeUndefined();
  expect(nodeVersionProblem('v24.21.0')).toBeUndefined();
  expect(nodeVersionProblem('v23.0.0')).toBeUndefined();
  expect(nodeVersionProblem('v22.18.1')).toBe('berth needs Node.js >= 22.19 (found v22.18.1); install Node 22 or 24');
  expect(nodeVersionProblem('v20.20.2')).toBe('berth needs Node.js >= 22.19 (found v20.20.2); install Node 22 or 24');
});

/** A Node 20 on this machine (the machine's own node is 20; npm scripts run on 24). */
function node20(): string | undefined {
  const candidates = ['/usr/bin/node', '/usr/local/bin/node', ...(process.env.PATH ?? '').split(path.delimiter).map((d) => path.join(d, 'node'))];
  for (const c of candidates) {
    try {
      if (execFileSync(c, ['--version'], { encoding: 'utf8' }).startsWith('v20.')) return c;
    } catch {
      // not there
    }
  }
  return undefined;
}

const old = node20();
(old ? test : test.skip)(
  `the CLI on Node 20 (${old ?? 'none on this machine'}) says what it needs and exits 2, before loading anything that fails there`,
  () => {
    for (const args of [['verify', '--help'], ['synth'], ['--version']]) {
      const r = spawnSync(old!, [path.join(ROOT, 'bin/berth.js'), ...args], { cwd: ROOT, encoding: 'utf8' });
      expect(r.stderr).toBe(`berth needs Node.js >= 22.19 (found ${execFileSync(old!, ['--version'], { encoding: 'utf8' }).trim()}); install Node 22 or 24\n`);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
    }
  },
);

test("the CLI's Node requirement is package.json's engines.node", () => {
  const { engines } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  expect(engines.node).toBe(`>=${REQUIRED_NODE.join('.')}`);
});
