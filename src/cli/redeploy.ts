import type { Redeployer } from '../verify/checks/keepdata';

/**
 * The keep-data check drives deploy's own programmatic API (src/deploy), the
 * same code `berth destroy --keep-data` and `berth deploy` run, so verify
 * proves what a user would do. Loaded lazily: verify's other checks do not
 * need it.
 */
export interface RedeployOptions {
  distDir: string;
  app: string;
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  /** Progress lines of deploy/destroy (verify sends them to stderr, keeping stdout for the table). */
  log: (line: string) => void;
}

export function deployRedeployer(o: RedeployOptions): Redeployer {
  const target = { dist: o.distDir, app: o.app, kubeconfig: o.kubeconfig, context: o.context, namespace: o.namespace };
  return {
    async destroyKeepData() {
      const { destroy } = await import('../deploy');
      await destroy({ ...target, keepData: true, wait: true, log: (l) => o.log(`destroy: ${l}`) });
    },
    async deploy() {
      const { deploy } = await import('../deploy');
      const { makeReporter } = await import('../deploy/progress');
      // deploy() reads dist/ as it is: verify checks exactly the dist/ it was given.
      await deploy({ ...target, wait: true, reporter: makeReporter('plain', (s) => o.log(`deploy: ${s.replace(/\n$/, '')}`)) });
    },
  };
}
