import { App } from 'cdk8s';
import { BerthChart, MongoDatabase } from '../../constructs';
import { ImageSet, imageSet } from '../../src/synth/images';
import { demoWeb } from '../demo-web';

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
  // demo-web in both image sets: this app exists for berth's own persistence test.
  demoWeb(chart, { host: 'ephemeral.my-app.com', database: db, replicas: 1 });
  return chart;
}
