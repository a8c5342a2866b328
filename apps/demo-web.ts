import { Construct } from 'constructs';
import { IMongoConnection, WebApp } from '../constructs';

/**
 * berth's own demo web front end (source in apps/demo/web, image built for the offline test cluster):
 * the WebApp `web` of the example apps' `local` image set, with its HTTP health endpoints.
 */
export function demoWeb(scope: Construct, props: { host: string; database: IMongoConnection; replicas?: number }): WebApp {
  return new WebApp(scope, 'web', {
    image: 'berth.local/demo-web:0.1.0',
    port: 8080,
    replicas: props.replicas ?? 2,
    ingress: { host: props.host },
    readiness: { http: '/readyz', periodSeconds: 5 },
    liveness: { http: '/healthz' },
    database: props.database,
  });
}
