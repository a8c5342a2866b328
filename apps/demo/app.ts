import { App } from 'cdk8s';
import { BerthChart, MongoDatabase, WebApp } from '../../constructs';
import { ImageSet, imageSet } from '../../src/synth/images';
import { demoWeb } from '../demo-web';

/**
 * The classic setup: a web front end reached at my-app.com through an
 * Ingress, its ConfigMap holding the database URL, the credentials in a
 * Secret, and MongoDB as a StatefulSet with a PVC.
 *
 * `upstream` images: mongo-express + the official mongo image (kind/minikube with internet).
 * `local` images: berth's demo-web + FerretDB, built for the offline test cluster.
 */
export function build(app: App, images: ImageSet = imageSet()): BerthChart {
  const chart = new BerthChart(app, 'demo');

  if (images === 'local') {
    const db = new MongoDatabase(chart, 'db', { engine: 'ferretdb', databaseName: 'demo', storage: '1Gi' });
    demoWeb(chart, { host: 'my-app.com', database: db });
    return chart;
  }

  const db = new MongoDatabase(chart, 'db', { engine: 'mongodb', databaseName: 'demo', storage: '1Gi' });
  const { serviceHost, port } = db.connectionConfig;
  new WebApp(chart, 'web', {
    image: 'mongo-express:1.0.2',
    port: 8081,
    replicas: 2,
    ingress: { host: 'my-app.com' },
    config: { ME_CONFIG_BASICAUTH: 'false', ME_CONFIG_MONGODB_ENABLE_ADMIN: 'true' },
    env: {
      // mongo-express wants one URL with credentials; Kubernetes expands $(VAR) from the Secret-backed vars above it.
      ME_CONFIG_MONGODB_URL: `mongodb://$(MONGO_USERNAME):$(MONGO_PASSWORD)@${serviceHost}:${port}/?authSource=admin`,
    },
    database: db,
  });
  return chart;
}
