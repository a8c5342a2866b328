import { errorText, EXIT, exitCodeOf } from '../../../src/cli/exit-codes';
import { ApplyError } from '../../../src/deploy/apply';
import { DeployTimeout, parseDuration } from '../../../src/deploy/errors';
import { ManifestError } from '../../../src/dist';
import { BerthError, CommandTimeout, RefusedError, UsageError } from '../../../src/errors';
import { ClusterUnreachableError, KubeApiError } from '../../../src/kube/client';
import { KubeconfigError } from '../../../src/kube/context';
import { SynthError } from '../../../src/synth/errors';

it('every error class maps into the one scheme', () => {
  const cases: [unknown, number][] = [
    [new DeployTimeout('x'), EXIT.failed],
    [new ApplyError('x'), EXIT.failed],
    [new KubeApiError('x', 403), EXIT.failed],
    [new SynthError(['p']), EXIT.failed],
    [new ManifestError('x'), EXIT.usage],
    [new KubeconfigError('x'), EXIT.usage],
    [new UsageError('x'), EXIT.usage],
    [new ClusterUnreachableError('x'), EXIT.unreachable],
    [new CommandTimeout('x'), EXIT.unreachable],
    [new RefusedError('x'), EXIT.refused],
    [new Error('a bug'), EXIT.failed],
  ];
  for (const [e, code] of cases) expect([String(e), exitCodeOf(e)]).toEqual([String(e), code]);
  expect(new Set(Object.values(EXIT)).size).toBe(Object.keys(EXIT).length);
});

it('a user error prints message and hint, never a stack', () => {
  const text = errorText(new RefusedError('would prune everything', 'use --allow-empty-prune'), 'deploy');
  expect(text).toBe('berth deploy: would prune everything\n  use --allow-empty-prune\n');
  expect(errorText(new Error('boom'), 'diff', {})).toBe('berth diff: boom\n');
  expect(errorText(new Error('boom'), 'diff', { BERTH_DEBUG: '1' })).toMatch(/^berth diff: boom\nError: boom\n\s+at /);
});

it('a bad duration is a usage error', () => {
  expect(() => parseDuration('5mins')).toThrow(BerthError);
  try {
    parseDuration('abc');
  } catch (e) {
    expect(exitCodeOf(e)).toBe(EXIT.usage);
  }
});
