import { Construct } from 'constructs';
import { ApiObject } from 'cdk8s';
import * as objects from './objects';
import { BerthChart } from './chart';
import { IMongoConnection, MongoConnectionConfig, mongoUrl, SecretKeys } from './connection';
import { objectLabels } from './labels';
import { MONGO_PORT } from './mongo-engines';
import { ExistingSecret, existingSecretKeys } from './mongo-database';
import { baseName } from './names';
import { Problems, show } from './problems';
import { booleanProp, constructProps, knownKeys } from './shapes';
import { redactUrls, urlCredentials } from './credentials';
import * as rules from './rules';

export interface ExternalMongoDatabaseProps {
  /** Object name of the ExternalName Service. @default `<app>-<construct id>` */
  readonly name?: string;
  /**
   * Host of a MongoDB outside the cluster. berth creates an ExternalName
   * Service for it, so pods use a stable in-cluster name. Give `host` or `url`.
   */
  readonly host?: string;
  /** @default 27017 (not with `url`) */
  readonly port?: number;
  /**
   * A full connection URL (`mongodb://` or `mongodb+srv://`), used as is and
   * checked with the MongoDB driver's own parser. Must not contain credentials,
   * neither `user:password@` nor options such as `password=` or
   * `authMechanismProperties=AWS_SESSION_TOKEN:...`: put them in `credentialsSecret`.
   * With `url`, `port`, `databaseName` and `authSourceAdmin` are refused (they belong in the URL).
   */
  readonly url?: string;
  /** @default 'app' (not with `url`: there the URL's path names the database) */
  readonly databaseName?: string;
  /** An existing Secret (not managed by this app) holding the user name and password. @default no authentication */
  readonly credentialsSecret?: string | ExistingSecret;
  /** Add `authSource=admin` to the URL made from `host`. @default true when credentialsSecret is set */
  readonly authSourceAdmin?: boolean;
}

const EXTERNAL_PROPS: (keyof ExternalMongoDatabaseProps)[] = ['name', 'host', 'port', 'url', 'databaseName', 'credentialsSecret', 'authSourceAdmin'];

/** A MongoDB that berth does not run, with the same `connectionConfig` as MongoDatabase. */
export class ExternalMongoDatabase extends Construct implements IMongoConnection {
  readonly connectionConfig: MongoConnectionConfig;
  readonly service?: ApiObject;

  constructor(scope: Construct, id: string, externalProps: ExternalMongoDatabaseProps) {
    super(scope, id);
    const problems = new Problems(this);
    const chart = BerthChart.of(this);
    const props = constructProps<ExternalMongoDatabaseProps>(
      problems,
      externalProps,
      "{ host: 'mongo.example.com' } or { url: 'mongodb+srv://cluster0.example.net/app' }",
    );
    knownKeys(problems, undefined, props, EXTERNAL_PROPS, 'ExternalMongoDatabase');
    const name = baseName(this, props.name, problems);

    let secret: SecretKeys | undefined;
    if (props.credentialsSecret !== undefined) {
      secret = existingSecretKeys(problems, 'credentialsSecret', props.credentialsSecret);
      if (secret) chart.declareExternal('Secret', secret.name);
    }
    const authSourceAdmin = booleanProp(problems, 'authSourceAdmin', props.authSourceAdmin);

    if ((props.host === undefined) === (props.url === undefined)) {
      problems.add(
        `host = ${show(props.host)}, url = ${show(typeof props.url === 'string' ? redactUrls(props.url) : props.url)}: set exactly one of \`host\` (an ExternalName Service is created) or \`url\``,
      );
    }

    if (props.url !== undefined) {
      // With a URL, everything about the connection is in it: these props would be silently ignored.
      const ignored = (['port', 'databaseName', 'authSourceAdmin'] as const).filter((k) => props[k] !== undefined);
      for (const k of ignored)
        problems.add(
          `${k} = ${show(props[k])}: not used with \`url\`; put it in the URL (${k === 'databaseName' ? 'its path' : k === 'port' ? 'host:port' : 'authSource=admin'})`,
        );
      const parsed = typeof props.url === 'string' ? parseMongoUrl(props.url) : 'must be a string';
      if (typeof parsed === 'string') problems.check('url', typeof props.url === 'string' ? redactUrls(props.url) : props.url, parsed);
      const databaseName = typeof parsed === 'object' && parsed.db ? parsed.db : 'app';
      if (typeof parsed === 'object' && parsed.db)
        problems.check(
          'url',
          props.url,
          rules.mongoDatabaseName(parsed.db) === undefined ? undefined : `its database ${show(parsed.db)} ${rules.mongoDatabaseName(parsed.db)}`,
        );
      this.connectionConfig = {
        serviceHost: typeof parsed === 'object' ? parsed.host : '',
        port: typeof parsed === 'object' ? parsed.port : MONGO_PORT,
        databaseName,
        url: String(props.url),
        secret,
        engine: 'external',
      };
      return;
    }

    const port = props.port ?? MONGO_PORT;
    problems.check('port', port, rules.port(port));
    const host = props.host ?? '';
    if (props.host !== undefined)
      problems.checkText(
        'host',
        host,
        (h) =>
          rules.dns1123Subdomain(h) ??
          (/^[0-9.]+$/.test(h) ? `is an IP address, which an ExternalName Service cannot point to; use url: 'mongodb://${h}:${port}/<database>'` : undefined),
      );
    if (authSourceAdmin === true && secret === undefined && props.credentialsSecret === undefined) {
      problems.add('authSourceAdmin = true: has no effect without credentialsSecret');
    }
    const databaseName = props.databaseName ?? 'app';
    problems.checkText('databaseName', databaseName, rules.mongoDatabaseName);
    this.service = objects.service(this, 'service', {
      metadata: { name, labels: objectLabels(chart.appName, name, 'external-mongodb', 'database') },
      spec: { type: 'ExternalName', externalName: host, ports: [{ name: 'mongodb', port }] },
    });
    this.connectionConfig = {
      serviceHost: name,
      port,
      databaseName,
      url: mongoUrl(name, port, databaseName, authSourceAdmin ?? props.credentialsSecret !== undefined),
      secret,
      engine: 'external',
    };
  }
}

const URL_EXAMPLE = "must be a URL such as 'mongodb://db.example.com:27017/app' or 'mongodb+srv://cluster0.example.net/app'";

/**
 * Host, port and database of a MongoDB URL, or the rule it breaks. Credentials
 * are refused before the driver's parser sees the URL, so no message can echo them.
 */
function parseMongoUrl(url: string): { host: string; port: number; db: string } | string {
  const m = /^mongodb(\+srv)?:\/\/([^/?#]+)(\/([^?#]*))?(\?.*)?$/.exec(url);
  if (!m) return URL_EXAMPLE;
  if (m[2].includes('@')) return 'must not contain credentials (user:password@); put them in an existing Secret and set `credentialsSecret`';
  const creds = urlCredentials(url);
  if (creds.length > 0)
    return `must not contain credentials (${creds.map((c) => c.where).join(', ')}); put them in an existing Secret and set \`credentialsSecret\``;
  if (/[\s\u0000-\u001f]/.test(url)) return 'must not contain spaces or control characters';
  try {
    // The MongoDB driver's own parser: the same rules the app's driver will apply (e.g. no port with mongodb+srv).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { ConnectionString } = require('mongodb-connection-string-url') as typeof import('mongodb-connection-string-url');
    const cs = new ConnectionString(url);
    const [first] = cs.hosts;
    const hostPort = /^(.*?)(?::(\d+))?$/.exec(first)!;
    return { host: hostPort[1].replace(/^\[|\]$/g, ''), port: hostPort[2] ? Number(hostPort[2]) : MONGO_PORT, db: decodeURIComponent(m[4] ?? '') };
  } catch (e) {
    return `is refused by the MongoDB driver: ${(e instanceof Error ? e.message : String(e)).split(url).join('<url>')}`;
  }
}
