import { WebApp } from '../../../constructs';
import { buildOk, find, kinds, workload } from '../helpers';

const base = { image: 'registry.example.com/shop/web:1.2.3', port: 8080 };

describe('WebApp defaults', () => {
  const docs = buildOk((c) => new WebApp(c, 'web', base));
  const { obj: dep, pod, container } = workload(docs, 'Deployment', 'test-web');

  test('makes ConfigMap, Deployment, Service and PDB with readable names, no Ingress', () => {
    expect(kinds(docs)).toEqual(['ConfigMap/test-web-config', 'Deployment/test-web', 'Service/test-web', 'PodDisruptionBudget/test-web']);
  });

  test('2 replicas on different nodes (DoNotSchedule), cordoned and failed nodes left out of the skew', () => {
    expect(dep.spec.replicas).toBe(2);
    expect(pod.topologySpreadConstraints).toEqual([
      {
        maxSkew: 1,
        topologyKey: 'kubernetes.io/hostname',
        whenUnsatisfiable: 'DoNotSchedule',
        nodeTaintsPolicy: 'Honor',
        labelSelector: { matchLabels: dep.spec.selector.matchLabels },
      },
    ]);
  });

  test('pods leave a not-ready or unreachable node after 20 s, not the default 300 s', () => {
    expect(pod.tolerations).toEqual([
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 20 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 20 },
    ]);
  });

  test('a deleted pod drains 5 s (preStop sleep) inside a grace period that still leaves 30 s to stop', () => {
    expect(container.lifecycle).toEqual({ preStop: { sleep: { seconds: 5 } } });
    expect(pod.terminationGracePeriodSeconds).toBe(35);
  });

  test('drainSeconds: 0 turns the drain off', () => {
    const off = find(
      buildOk((c) => new WebApp(c, 'web', { ...base, drainSeconds: 0 })),
      'Deployment',
    ).spec.template.spec;
    expect(off.containers[0].lifecycle).toBeUndefined();
    expect(off.terminationGracePeriodSeconds).toBe(30);
  });

  test('PodDisruptionBudget allows one pod down and selects the pods', () => {
    const pdb = find(docs, 'PodDisruptionBudget');
    expect(pdb.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: dep.spec.selector.matchLabels } });
  });

  test('IfNotPresent, TCP probes, default resources, hardened container', () => {
    expect(container.imagePullPolicy).toBe('IfNotPresent');
    expect(container.readinessProbe.tcpSocket).toEqual({ port: 8080 });
    expect(container.livenessProbe.tcpSocket).toEqual({ port: 8080 });
    expect(container.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } });
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    // The image's own user is kept unless runAsUser is given (runAsNonRoot would break root images).
    expect(container.securityContext.runAsNonRoot).toBeUndefined();
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  test('ClusterIP Service on the container port', () => {
    const svc = find(docs, 'Service');
    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.spec.ports).toEqual([{ name: 'http', port: 8080, targetPort: 8080 }]);
    expect(svc.spec.selector).toEqual(dep.spec.selector.matchLabels);
  });

  test('contract labels on every object and the pods, contract annotations on the Deployment', () => {
    for (const d of docs) {
      expect(d.metadata.labels).toEqual({
        'berth.dev/app': 'test',
        'app.kubernetes.io/managed-by': 'berth',
        'app.kubernetes.io/name': 'web-app',
        'app.kubernetes.io/instance': 'test-web',
        'app.kubernetes.io/component': 'web',
      });
    }
    expect(dep.spec.template.metadata.labels).toEqual(dep.metadata.labels);
    expect(dep.metadata.annotations).toEqual({
      'berth.dev/role': 'web-app',
      'berth.dev/web-service': 'test-web',
      'berth.dev/web-port': '8080',
    });
  });

  test('config is loaded from the ConfigMap with envFrom; empty ConfigMap has no data', () => {
    expect(container.envFrom).toEqual([{ configMapRef: { name: 'test-web-config' } }]);
    expect(find(docs, 'ConfigMap').data).toBeUndefined();
  });
});

describe('WebApp props', () => {
  test('replicas 1: no PDB, no spread constraint', () => {
    const docs = buildOk((c) => new WebApp(c, 'web', { ...base, replicas: 1 }));
    expect(kinds(docs)).toEqual(['ConfigMap/test-web-config', 'Deployment/test-web', 'Service/test-web']);
    expect(find(docs, 'Deployment').spec.template.spec.topologySpreadConstraints).toBeUndefined();
  });

  test('env and config', () => {
    const docs = buildOk((c) => new WebApp(c, 'web', { ...base, env: { LOG_LEVEL: 'debug' }, config: { FEATURE_X: 'on', 'app.title': 'Shop' } }));
    const container = workload(docs, 'Deployment').container;
    expect(container.env).toEqual([{ name: 'LOG_LEVEL', value: 'debug' }]);
    expect(find(docs, 'ConfigMap').data).toEqual({ FEATURE_X: 'on', 'app.title': 'Shop' });
  });

  test('a config change changes the pod template (rolls the pods)', () => {
    const hash = (v: string) =>
      find(
        buildOk((c) => new WebApp(c, 'web', { ...base, config: { A: v } })),
        'Deployment',
      ).spec.template.metadata.annotations['berth.dev/config-hash'];
    expect(hash('1')).toMatch(/^[0-9a-f]{16}$/);
    expect(hash('1')).toBe(hash('1'));
    expect(hash('1')).not.toBe(hash('2'));
  });

  test('NodePort with a fixed node port and a different Service port', () => {
    const docs = buildOk((c) => new WebApp(c, 'web', { ...base, serviceType: 'NodePort', servicePort: 80, nodePort: 30080 }));
    const svc = find(docs, 'Service');
    expect(svc.spec.type).toBe('NodePort');
    expect(svc.spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 8080, nodePort: 30080 }]);
    expect(find(docs, 'Deployment').metadata.annotations['berth.dev/web-port']).toBe('80');
  });

  test('LoadBalancer', () => {
    expect(
      find(
        buildOk((c) => new WebApp(c, 'web', { ...base, serviceType: 'LoadBalancer' })),
        'Service',
      ).spec.type,
    ).toBe('LoadBalancer');
  });

  test('Ingress with host, path, TLS and class; host annotation; TLS Secret declared external', () => {
    const docs = buildOk(
      (c) => new WebApp(c, 'web', { ...base, ingress: { host: 'my-app.com', path: '/shop', tlsSecretName: 'my-app-tls', className: 'traefik' } }),
    );
    const ing = find(docs, 'Ingress', 'test-web');
    expect(ing.spec).toEqual({
      ingressClassName: 'traefik',
      rules: [
        { host: 'my-app.com', http: { paths: [{ path: '/shop', pathType: 'Prefix', backend: { service: { name: 'test-web', port: { number: 8080 } } } }] } },
      ],
      tls: [{ hosts: ['my-app.com'], secretName: 'my-app-tls' }],
    });
    expect(find(docs, 'Deployment').metadata.annotations['berth.dev/web-host']).toBe('my-app.com');
  });

  test('Ingress defaults: path /, no class, no TLS', () => {
    const ing = find(
      buildOk((c) => new WebApp(c, 'web', { ...base, ingress: { host: 'my-app.com' } })),
      'Ingress',
    );
    expect(ing.spec.ingressClassName).toBeUndefined();
    expect(ing.spec.tls).toBeUndefined();
    expect(ing.spec.rules[0].http.paths[0].path).toBe('/');
  });

  test('HTTP probes with timing; readiness path becomes the health annotation', () => {
    const docs = buildOk(
      (c) =>
        new WebApp(c, 'web', {
          ...base,
          readiness: { http: '/readyz', periodSeconds: 5 },
          liveness: { http: '/healthz', failureThreshold: 5, initialDelaySeconds: 10 },
        }),
    );
    const dep = find(docs, 'Deployment');
    const c0 = dep.spec.template.spec.containers[0];
    expect(c0.readinessProbe).toEqual({ httpGet: { path: '/readyz', port: 8080 }, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 });
    expect(c0.livenessProbe).toEqual({
      httpGet: { path: '/healthz', port: 8080 },
      initialDelaySeconds: 10,
      periodSeconds: 10,
      timeoutSeconds: 3,
      failureThreshold: 5,
    });
    expect(dep.metadata.annotations['berth.dev/web-health-path']).toBe('/readyz');
  });

  test('probes can be turned off', () => {
    const c0 = find(
      buildOk((c) => new WebApp(c, 'web', { ...base, readiness: false, liveness: false })),
      'Deployment',
    ).spec.template.spec.containers[0];
    expect(c0.readinessProbe).toBeUndefined();
    expect(c0.livenessProbe).toBeUndefined();
  });

  test('resources, pull policy, command/args, runAsUser, explicit name', () => {
    const docs = buildOk(
      (c) =>
        new WebApp(c, 'web', {
          ...base,
          name: 'shop',
          resources: { cpuRequest: '250m', memoryLimit: '1Gi' },
          imagePullPolicy: 'Never',
          command: ['/web'],
          args: ['--verbose'],
          runAsUser: 10001,
        }),
    );
    const c0 = workload(docs, 'Deployment', 'shop').container;
    expect(c0.resources).toEqual({ requests: { cpu: '250m', memory: '128Mi' }, limits: { cpu: '500m', memory: '1Gi' } });
    expect(c0.imagePullPolicy).toBe('Never');
    expect(c0.command).toEqual(['/web']);
    expect(c0.args).toEqual(['--verbose']);
    expect(c0.securityContext).toMatchObject({ runAsUser: 10001, runAsGroup: 10001, runAsNonRoot: true });
    expect(kinds(docs)).toContain('ConfigMap/shop-config');
  });
});
