import { diagnosePod, formatProblem, podClaims } from '../../../src/health/diagnose';
import { obj } from '../deploy/fixtures';

const pod = (status: any, spec: any = { containers: [{ name: 'web', image: 'example.invalid/web:1' }] }) =>
  obj('Pod', 'web-abc', { metadata: { name: 'web-abc', namespace: 'default' }, spec, status });
const waiting = (reason: string, message = '') => ({
  phase: 'Pending',
  containerStatuses: [{ name: 'web', image: 'example.invalid/web:1', restartCount: 0, state: { waiting: { reason, message } } }],
});

describe('diagnosePod', () => {
  it('reports ImagePullBackOff with the image at once', () => {
    const p = diagnosePod(pod(waiting('ImagePullBackOff', 'Back-off pulling image "example.invalid/web:1"')));
    expect(p).toMatchObject({ kind: 'image', image: 'example.invalid/web:1', immediate: true, container: 'web' });
    expect(p!.message).toContain('ImagePullBackOff for image example.invalid/web:1');
  });
  it('reports ErrImageNeverPull at once', () => {
    expect(diagnosePod(pod(waiting('ErrImageNeverPull')))).toMatchObject({ kind: 'image', immediate: true });
  });
  it('gives ErrImagePull a grace period unless the registry answer is definitive', () => {
    expect(diagnosePod(pod(waiting('ErrImagePull', 'failed to do request: dial tcp 1.2.3.4:443: i/o timeout')))).toMatchObject({
      kind: 'image',
      immediate: false,
    });
    expect(diagnosePod(pod(waiting('ErrImagePull', 'rpc error: ... example.invalid/web:1: not found')))).toMatchObject({ kind: 'image', immediate: true });
    expect(diagnosePod(pod(waiting('ErrImagePull', 'dial tcp: lookup example.invalid on 10.0.0.10:53: no such host')))).toMatchObject({ immediate: true });
  });
  it('reports CrashLoopBackOff with restarts and last exit', () => {
    const st = {
      phase: 'Running',
      containerStatuses: [
        { name: 'web', restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { reason: 'Error', exitCode: 2 } } },
      ],
    };
    const p = diagnosePod(pod(st));
    expect(p).toMatchObject({ kind: 'crash', immediate: true });
    expect(p!.message).toBe('CrashLoopBackOff: container web keeps crashing, 3 restart(s) (last exit: Error, code 2)');
  });
  it('reports init containers', () => {
    const st = { phase: 'Pending', initContainerStatuses: [{ name: 'init', restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } } }] };
    expect(diagnosePod(pod(st))!.message).toContain('init container init');
  });
  it('reports missing config (CreateContainerConfigError) at once', () => {
    const p = diagnosePod(pod(waiting('CreateContainerConfigError', 'secret "db" not found')));
    expect(p).toMatchObject({ kind: 'config', immediate: true });
    expect(p!.message).toContain('secret "db" not found');
  });
  it('gives transient container config errors a grace period', () => {
    expect(diagnosePod(pod(waiting('CreateContainerConfigError', 'failed to sync configmap cache: timed out waiting for the condition')))).toMatchObject({
      kind: 'config',
      immediate: false,
    });
  });
  it('lets a caller with no grace wait only for what the kubelet retries by itself', () => {
    const noGrace = { graceful: false, failedPhase: false };
    const cache = diagnosePod(pod(waiting('CreateContainerConfigError', 'failed to sync secret cache: timed out waiting for the condition')), noGrace);
    expect(cache).toMatchObject({ kind: 'config', immediate: false, transient: true });
    expect(diagnosePod(pod(waiting('CreateContainerConfigError', 'secret "db" not found')), noGrace)).toMatchObject({ immediate: true });
    const unschedulable = { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/1 nodes' }] };
    expect(diagnosePod(pod(unschedulable), noGrace)).toMatchObject({ kind: 'unschedulable', immediate: true });
  });
  it('reports unschedulable pods with the scheduler message, after a grace period', () => {
    const st = {
      phase: 'Pending',
      conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/1 nodes are available: 1 Insufficient memory.' }],
    };
    expect(diagnosePod(pod(st))).toMatchObject({
      kind: 'unschedulable',
      immediate: false,
      message: 'unschedulable: 0/1 nodes are available: 1 Insufficient memory.',
    });
  });
  it('classifies scheduling blocked on a claim as a volume problem', () => {
    const st = {
      phase: 'Pending',
      conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: 'pod has unbound immediate PersistentVolumeClaims' }],
    };
    expect(diagnosePod(pod(st))!.kind).toBe('volume');
  });
  it('says nothing about a pod that is starting normally', () => {
    expect(diagnosePod(pod(waiting('ContainerCreating')))).toBeUndefined();
    expect(diagnosePod(pod({ phase: 'Running', containerStatuses: [{ name: 'web', state: { running: {} } }] }))).toBeUndefined();
  });
  it('reports failed pods', () => {
    expect(diagnosePod(pod({ phase: 'Failed', reason: 'Evicted', message: 'low on memory' }))!.message).toBe('pod failed: Evicted low on memory');
  });
});

describe('formatProblem', () => {
  it('appends the last log lines, indented', () => {
    const text = formatProblem(
      { kind: 'crash', pod: 'web-abc', namespace: 'default', container: 'web', message: 'CrashLoopBackOff', immediate: true },
      'line 1\nfatal: no DB\n',
    );
    expect(text).toBe('pod default/web-abc: CrashLoopBackOff\n  last log lines of web:\n    | line 1\n    | fatal: no DB');
  });
});

it('podClaims lists the claims a pod mounts', () => {
  expect(
    podClaims(
      obj('Pod', 'p', {
        spec: {
          volumes: [
            { name: 'a', persistentVolumeClaim: { claimName: 'data-db-0' } },
            { name: 'b', emptyDir: {} },
          ],
        },
      }),
    ),
  ).toEqual(['data-db-0']);
});
