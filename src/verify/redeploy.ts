import type { Redeployer } from './checks/keepdata';

/**
 * The keep-data check drives deploy's own programmatic API (src/deploy), the
 * same code `berth destroy --keep-data` and `berth deploy` run, so verify
 * proves what a user would do. Loaded lazily so verify's other checks work
 * even if deploy cannot load.
 */
export interface RedeployOptions {
  distDir: string;
  app: string;
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  log?: (msg: string) => void;
}

export function deployRedeployer(o: RedeployOptions): Redeployer {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const api = () => require('../deploy') as Record<string, any>;
  const common = { distDir: o.distDir, app: o.app, kubeconfig: o.kubeconfig, context: o.context, namespace: o.namespace };
  return {
    async destroyKeepData() {
      const { destroy } = api();
      if (typeof destroy !== 'function') throw new Error('src/deploy exports no destroy()');
      await destroy({ ...common, keepData: true, yes: true });
    },
    async deploy() {
      const { deploy } = api();
      if (typeof deploy !== 'function') throw new Error('src/deploy exports no deploy()');
      await deploy({ ...common, wait: true });
    },
  };
}
