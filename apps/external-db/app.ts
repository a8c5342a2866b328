import { App } from 'cdk8s';
import { BerthChart, ExternalMongoDatabase, WebApp } from '../../constructs';
import { ImageSet, imageSet } from '../../src/synth/images';
import { demoWeb } from '../demo-web';

/**
 * A web app whose MongoDB runs outside this app: berth creates an
 * ExternalName Service for the host and wires URL and credentials the same
 * way as for a MongoDatabase.
 *
 * `local`: the "external" database is the demo app's FerretDB (deploy demo first,
 * same namespace `default`). `upstream`: a managed MongoDB whose credentials live
 * in the Secret `orders-mongo-credentials`, created outside berth.
 */
export function build(app: App, images: ImageSet = imageSet()): BerthChart {
  const chart = new BerthChart(app, 'external-db');

  if (images === 'local') {
    const db = new ExternalMongoDatabase(chart, 'mongo', { host: 'demo-db.default.svc.cluster.local', databaseName: 'orders' });
    demoWeb(chart, { host: 'orders.my-app.com', database: db });
    return chart;
  }

  const db = new ExternalMongoDatabase(chart, 'mongo', {
    host: 'mongo.example.com',
    databaseName: 'orders',
    credentialsSecret: 'orders-mongo-credentials',
  });
  const { serviceHost, port } = db.connectionConfig;
  new WebApp(chart, 'web', {
    image: 'mongo-express:1.0.2',
    port: 8081,
    ingress: { host: 'orders.my-app.com' },
    config: { ME_CONFIG_BASICAUTH: 'false' },
    env: { ME_CONFIG_MONGODB_URL: `mongodb://$(MONGO_USERNAME):$(MONGO_PASSWORD)@${serviceHost}:${port}/?authSource=admin` },
    database: db,
  });
  return chart;
}
