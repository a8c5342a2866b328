import { runWithCdk8s } from '../cdk8s-main';
import { build } from './app';

runWithCdk8s((app) => build(app));
