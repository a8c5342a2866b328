import { App, Chart } from 'cdk8s';

/**
 * Entry point for `cdk8s synth` (see cdk8s.yaml): builds one app and lets
 * cdk8s write `$CDK8S_OUTDIR/<app>.k8s.yaml` (default dist/). cdk8s runs the
 * same validations as `berth synth` before writing anything.
 */
export function runWithCdk8s(build: (app: App) => Chart): void {
  try {
    const app = new App();
    build(app);
    app.synth();
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  }
}
