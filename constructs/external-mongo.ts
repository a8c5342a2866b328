import { Construct } from 'constructs';
import { ApiObject } from 'cdk8s';
import * as objects from './objects';
import { BerthChart } from './chart';
import { IMongoConnection, MongoConnectionConfig, mongoUrl, SecretKeys } from './connection';
import { objectLabels } from './labels';
import { MONGO_PORT } from './mongo-engines';
import { ExistingSecret } from './mongo-database';
import { baseName } from './names';
import { Problems } from './problems';
import * as rules from './rules';

export interface ExternalMongoDatabaseProps {
  /** Object name of the ExternalName Service. @default `<app>-<construct id>` */
  readonly name?: string;
  /**
   * Host of a MongoDB outside the cluster. berth creates an ExternalName
   * Service for it, so pods use a stable in-cluster name. Give `host` or `url`.
   */
  readonly host?: string;
  /** @default 27017 */
  readonly port?: number;
  /**
   * A full connection URL (`mongodb://` or `mongodb+srv://`), used as is.
   * Must not contain credentials: put them in `credentialsSecret`.
   */
  readonly url?: string;
  /** @default 'app' (with `url`: the URL's path, else 'app') */
  readonly databaseName?: string;
  /** An existing Secret (not managed by this app) holding the user name and password. @default no authentication */
  readonly credentialsSecret?: string | ExistingSecret;
  /** Add `authSource=admin` to the URL made from `host`. @default true when credentialsSecret is set */
  readonly authSourceAdmin?: boolean;
}

/** A MongoDB that berth does not run, with the same `connectionConfig` as MongoDatabase. */
export class ExternalMongoDatabase extends Construct implements IMongoConnection {
  readonly connectionConfig: MongoConnectionConfig;
  readonly service?: ApiObject;

  constructor(scope: Construct, id: string, props: ExternalMongoDatabaseProps) {
    super(scope, id);
    const problems = new Problems(this);
    const chart = BerthChart.of(this);
    const name = baseName(this, props.name, problems);

    let secret: SecretKeys | undefined;
    if (props.credentialsSecret !== undefined) {
      const ex = typeof props.credentialsSecret === 'string' ? { name: props.credentialsSecret } : props.credentialsSecret;
      problems.check('credentialsSecret.name', ex.name, rules.dns1123Subdomain(ex.name));
      secret = { name: ex.name, usernameKey: ex.usernameKey ?? 'username', passwordKey: ex.passwordKey ?? 'password' };
      chart.declareExternal('Secret', ex.name);
    }

    if ((props.host === undefined) === (props.url === undefined)) {
      problems.add(`host = ${JSON.stringify(props.host)}, url = ${JSON.stringify(props.url)}: set exactly one of \`host\` (an ExternalName Service is created) or \`url\``);
    }
    const port = props.port ?? MONGO_PORT;
    problems.check('port', port, rules.port(port));

    if (props.url !== undefined) {
      const parsed = parseMongoUrl(props.url);
      if (typeof parsed === 'string') problems.check('url', props.url, parsed);
      const databaseName = props.databaseName ?? (typeof parsed === 'object' && parsed.db ? parsed.db : 'app');
      problems.check('databaseName', databaseName, rules.mongoDatabaseName(databaseName));
      this.connectionConfig = {
        serviceHost: typeof parsed === 'object' ? parsed.host : '',
        port,
        databaseName,
        url: props.url,
        secret,
        engine: 'external',
      };
      return;
    }

    const host = props.host ?? '';
    problems.check('host', host, rules.dns1123Subdomain(host));
    const databaseName = props.databaseName ?? 'app';
    problems.check('databaseName', databaseName, rules.mongoDatabaseName(databaseName));
    this.service = objects.service(this, 'service', {
      metadata: { name, labels: objectLabels(chart.appName, name, 'external-mongodb', 'database') },
      spec: { type: 'ExternalName', externalName: host, ports: [{ name: 'mongodb', port }] },
    });
    this.connectionConfig = {
      serviceHost: name,
      port,
      databaseName,
      url: mongoUrl(name, port, databaseName, props.authSourceAdmin ?? secret !== undefined),
      secret,
      engine: 'external',
    };
  }
}

/** Returns host and database of a MongoDB URL, or the rule it breaks. */
function parseMongoUrl(url: string): { host: string; db: string } | string {
  const m = /^mongodb(\+srv)?:\/\/([^/?#]+)(\/([^?#]*))?(\?.*)?$/.exec(url);
  if (!m) return "must be a URL such as 'mongodb://db.example.com:27017/app' or 'mongodb+srv://cluster0.example.net/app'";
  if (m[2].includes('@')) return 'must not contain credentials (user:password@); put them in an existing Secret and set `credentialsSecret`';
  return { host: m[2].split(',')[0].replace(/:\d+$/, ''), db: decodeURIComponent(m[4] ?? '') };
}
