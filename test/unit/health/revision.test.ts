import { isCurrentRevision, newestReplicaSetHash, rolloutUnobserved } from '../../../src/health/revision';
import { obj } from '../deploy/fixtures';

const deployment = obj('Deployment', 'web', { metadata: { name: 'web', uid: 'd-1', generation: 3 }, status: { observedGeneration: 3 } });
const rs = (hash: string, revision: string, ownerUid = 'd-1') =>
  obj(
    'ReplicaSet',
    `web-${hash}`,
    {
      metadata: {
        name: `web-${hash}`,
        labels: { 'pod-template-hash': hash },
        annotations: { 'deployment.kubernetes.io/revision': revision },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: ownerUid }],
      },
    },
    'apps/v1',
  );
const pod = (labels: Record<string, string>) => obj('Pod', 'p', { metadata: { name: 'p', labels } });

describe('the revision being rolled out', () => {
  it("is the Deployment's owned ReplicaSet with the highest revision number", () => {
    expect(newestReplicaSetHash(deployment, [rs('aaa', '2'), rs('ccc', '10'), rs('bbb', '9'), rs('zzz', '11', 'other-uid')])).toBe('ccc');
  });
  it('is unknown while no owned ReplicaSet is listed', () => {
    expect(newestReplicaSetHash(deployment, [rs('zzz', '1', 'other-uid')])).toBeUndefined();
  });
  it('is not looked up before the controller observed the current spec', () => {
    expect(rolloutUnobserved(deployment)).toBe(false);
    expect(rolloutUnobserved({ ...deployment, status: { observedGeneration: 2 } })).toBe(true);
  });
});

describe('which pods are current', () => {
  it('Deployment: pods of the newest ReplicaSet only, none while it is unknown', () => {
    expect(isCurrentRevision(deployment, pod({ 'pod-template-hash': 'ccc' }), 'ccc')).toBe(true);
    expect(isCurrentRevision(deployment, pod({ 'pod-template-hash': 'aaa' }), 'ccc')).toBe(false);
    expect(isCurrentRevision(deployment, pod({ 'pod-template-hash': 'ccc' }), undefined)).toBe(false);
  });
  it('StatefulSet: pods of the update revision, any pod while it reports none', () => {
    const sts = (updateRevision?: string) => obj('StatefulSet', 'db', { status: { updateRevision } });
    expect(isCurrentRevision(sts('db-2'), pod({ 'controller-revision-hash': 'db-2' }))).toBe(true);
    expect(isCurrentRevision(sts('db-2'), pod({ 'controller-revision-hash': 'db-1' }))).toBe(false);
    expect(isCurrentRevision(sts(), pod({ 'controller-revision-hash': 'db-1' }))).toBe(true);
  });
  it('DaemonSet: every pod', () => {
    expect(isCurrentRevision(obj('DaemonSet', 'agent'), pod({}))).toBe(true);
  });
  it('keys on group: a custom kind named Deployment is not judged by ReplicaSet hashes', () => {
    const custom = obj('Deployment', 'web', {}, 'example.com/v1');
    expect(isCurrentRevision(custom, pod({ 'pod-template-hash': 'x' }), undefined)).toBe(true);
  });
});
