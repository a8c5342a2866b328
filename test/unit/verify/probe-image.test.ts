import { chooseProbeImage, nodeImagesOf, PUBLIC_PROBE_IMAGE, registryOf } from '../../../src/verify/probe-image';

const node = (name: string, images: string[], unschedulable = false) => ({
  metadata: { name },
  spec: { unschedulable },
  status: { images: images.map((i) => ({ names: [`${i.split(':')[0]}@sha256:0f`, i] })) },
});

describe('probe image: from the cluster, not from the environment', () => {
  test('an offline cluster that holds the local busybox gets it, whatever the environment says', () => {
    const nodes = nodeImagesOf([node('n1', ['berth.local/busybox:1.35', 'berth.local/demo-web:0.1.0', 'registry.k8s.io/pause:3.10'])]);
    const c = chooseProbeImage({ nodes, deployedImages: ['berth.local/demo-web:0.1.0', 'berth.local/ferretdb:1.24.0'] });
    expect(c.image).toBe('berth.local/busybox:1.35');
    expect(c.why).toMatch(/already on 1 of 1/);
  });

  test('a cluster without busybox gets the public image (pulled)', () => {
    const c = chooseProbeImage({ nodes: nodeImagesOf([node('n1', ['mongo:7.0.14'])]), deployedImages: ['mongo-express:1.0.2'] });
    expect(c.image).toBe(PUBLIC_PROBE_IMAGE);
  });

  test('--probe-image wins', () => {
    const nodes = nodeImagesOf([node('n1', ['berth.local/busybox:1.35'])]);
    expect(chooseProbeImage({ override: 'my.reg/busybox:1.37', nodes, deployedImages: [] }).image).toBe('my.reg/busybox:1.37');
  });

  test('prefers the image on the most schedulable nodes, then the app registry, then the name', () => {
    const nodes = nodeImagesOf([
      node('n1', ['docker.io/library/busybox:1.36', 'my.reg/busybox:1.36']),
      node('n2', ['my.reg/busybox:1.36']),
      node('n3', ['docker.io/library/busybox:1.36'], true), // cordoned: does not count
    ]);
    expect(chooseProbeImage({ nodes, deployedImages: [] }).image).toBe('my.reg/busybox:1.36');
    const even = nodeImagesOf([node('n1', ['a.reg/busybox:1', 'b.reg/busybox:1'])]);
    expect(chooseProbeImage({ nodes: even, deployedImages: ['b.reg/app:2'] }).image).toBe('b.reg/busybox:1');
    expect(chooseProbeImage({ nodes: even, deployedImages: [] }).image).toBe('a.reg/busybox:1');
  });

  test('a node whose taints repel the probe pod (a control plane) does not count', () => {
    const tainted = (effect: string) => ({ ...node('cp', ['a.reg/busybox:1']), spec: { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect }] } });
    const nodes = nodeImagesOf([tainted('NoSchedule'), node('w1', ['b.reg/busybox:1'])]);
    expect(nodes.map((n) => n.schedulable)).toEqual([false, true]);
    expect(chooseProbeImage({ nodes, deployedImages: ['a.reg/app:1'] }).image).toBe('b.reg/busybox:1');
    expect(nodeImagesOf([tainted('NoExecute')])[0].schedulable).toBe(false);
    expect(nodeImagesOf([tainted('PreferNoSchedule')])[0].schedulable).toBe(true);
  });

  test('digest-only and untagged names are not picked (IfNotPresent needs the exact reference)', () => {
    const nodes = nodeImagesOf([{ metadata: { name: 'n1' }, status: { images: [{ names: ['busybox@sha256:0f'] }] } }]);
    expect(chooseProbeImage({ nodes, deployedImages: [] }).image).toBe(PUBLIC_PROBE_IMAGE);
  });

  test('registryOf', () => {
    expect(registryOf('busybox:1.36')).toBe('docker.io');
    expect(registryOf('library/busybox:1.36')).toBe('docker.io');
    expect(registryOf('berth.local/busybox:1.35')).toBe('berth.local');
    expect(registryOf('localhost:5000/x:1')).toBe('localhost:5000');
  });
});
