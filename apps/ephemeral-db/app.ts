import { App } from 'cdk8s';
import { BerthChart, ImageSet, imageSet, MongoDatabase, WebApp } from '../../constructs';

/**
 * NEGATIVE EXAMPLE: the demo with its database on an emptyDir instead of a
 * PVC, and a single web replica. Data is lost whenever the database pod is
 * re-created; `berth verify` must report that. Never copy this for real data.
 */
export function build(app: App, images: ImageSet = imageSet()): BerthChart {
  const chart = new BerthChart(app, 'ephemeral-db');
  const local = images === 'local';
  const db = new MongoDatabase(chart, 'db', {
    engine: local ? 'ferretdb' : 'mongodb',
    databaseName: 'demo',
    storage: { ephemeral: true },
  });
  new WebApp(chart, 'web', {
    // demo-web in both image sets: this app exists for berth's own persistence test.
    image: 'berth.local/demo-web:0.1.0',
    port: 8080,
    replicas: 1,
    ingress: { host: 'ephemeral.my-app.com' },
    readiness: { http: '/readyz', periodSeconds: 5 },
    liveness: { http: '/healthz' },
    database: db,
  });
  return chart;
}
