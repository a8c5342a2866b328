import { Scrubber } from '../../recordings/scrub';

describe('recording scrubber', () => {
  it('replaces uids and IPs by stable placeholders, the same everywhere', () => {
    const s = new Scrubber();
    const owner = 'c0a8f6d2-1b3e-4f5a-9c7d-0e1f2a3b4c5d';
    const out = s.scrub({
      rs: { metadata: { uid: '11111111-2222-4333-8444-555555555555', ownerReferences: [{ uid: owner }] } },
      deployment: { metadata: { uid: owner } },
      pod: { status: { podIP: '10.42.0.17', hostIP: '172.18.0.2', podIPs: [{ ip: '10.42.0.17' }] } },
      event: { message: 'Readiness probe failed: dial tcp 10.42.0.17:8080: connect: connection refused' },
      local: '127.0.0.1',
    });
    expect(out.deployment.metadata.uid).toBe(out.rs.metadata.ownerReferences[0].uid);
    expect(out.rs.metadata.uid).not.toBe(out.deployment.metadata.uid);
    expect(JSON.stringify(out)).not.toContain(owner);
    expect(out.pod.status.podIP).toBe(out.pod.status.podIPs[0].ip);
    expect(out.pod.status.podIP).toMatch(/^192\.0\.2\.\d+$/);
    expect(out.pod.status.hostIP).not.toBe(out.pod.status.podIP);
    expect(out.event.message).toBe(`Readiness probe failed: dial tcp ${out.pod.status.podIP}:8080: connect: connection refused`);
    expect(out.local).toBe('127.0.0.1');
  });

  it('drops Secret values (keeping the key names) and managedFields', () => {
    const out = new Scrubber().scrub({
      kind: 'Secret',
      metadata: { name: 's', managedFields: [{ manager: 'berth' }] },
      data: { password: 'aHVudGVyMg==' },
    });
    expect(out).toEqual({ kind: 'Secret', metadata: { name: 's' }, data: { password: '' } });
  });

  it('replaces IPv6 addresses too, keeping loopback, times and digests', () => {
    const s = new Scrubber();
    const out = s.scrub({
      podIPs: [{ ip: '10.42.0.17' }, { ip: 'fd00:10:244::11' }],
      hostIP: 'FD00:10:244::11',
      other: 'fd00:10:96::a',
      event: 'dial tcp [fd00:10:244::11]:8080: connect: connection refused',
      keep: ['::1', '12:34:56', 'sha256:abcd', 'time 2026-12-01T03:04:05Z'],
    });
    expect(out.podIPs[1].ip).toMatch(/^2001:db8::[0-9a-f]+$/);
    expect(out.hostIP).toBe(out.podIPs[1].ip);
    expect(out.other).not.toBe(out.podIPs[1].ip);
    expect(out.event).toBe(`dial tcp [${out.podIPs[1].ip}]:8080: connect: connection refused`);
    expect(out.keep).toEqual(['::1', '12:34:56', 'sha256:abcd', 'time 2026-12-01T03:04:05Z']);
    expect(JSON.stringify(out)).not.toMatch(/fd00/i);
  });

  it('leaves version-like strings that are not addresses alone', () => {
    expect(new Scrubber().scrub({ v: 'v1.300.2.999' })).toEqual({ v: 'v1.300.2.999' });
  });
});
