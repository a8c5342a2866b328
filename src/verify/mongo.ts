import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import type { V1Secret } from '@kubernetes/client-node';
import { Kube, mustGet } from './kube';
import type { DbTarget } from './target';
import { forwardToPod } from './portforward';

/**
 * Marker documents written and read over the MongoDB wire protocol, through a
 * port-forward to the database pod itself (not through the web app), so the
 * persistence check does not depend on any WebApp.
 */

const MARKER_COLLECTION = 'berth_verify_markers';

export interface Marker {
  _id: string;
  value: string;
  writtenAt: string;
}

export function newMarker(): Marker {
  const id = `verify-${new Date().toISOString().replace(/[-:.]/g, '')}-${randomBytes(4).toString('hex')}`;
  return { _id: id, value: randomBytes(12).toString('hex'), writtenAt: new Date().toISOString() };
}

/** Credentials from the DB Secret, kept in memory only; undefined when the database runs without auth. */
async function dbCredentials(kube: Kube, db: DbTarget): Promise<{ username: string; password: string } | undefined> {
  if (!db.secret) return undefined;
  const s = await mustGet<V1Secret>(kube, { apiVersion: 'v1', kind: 'Secret', namespace: db.namespace, name: db.secret });
  const data = s.data ?? {};
  const k = db.credentialKeys;
  if (!data[k.username] || !data[k.password]) {
    throw new Error(
      `Secret ${db.namespace}/${db.secret} (credentials of ${db.name}) lacks key "${data[k.username] ? k.password : k.username}": was it created by berth deploy?`,
    );
  }
  const dec = (v: string) => Buffer.from(v, 'base64').toString('utf8');
  return { username: dec(data[k.username]), password: dec(data[k.password]) };
}

/** Run `fn` with a client connected to `pod` (port-forward closed afterwards). */
export async function withMongo<T>(kube: Kube, db: DbTarget, pod: string, fn: (c: MongoClient) => Promise<T>): Promise<T> {
  const creds = await dbCredentials(kube, db);
  const fwd = await forwardToPod(kube.kc, db.namespace, pod, db.port);
  const client = new MongoClient(`mongodb://127.0.0.1:${fwd.port}/`, {
    directConnection: true,
    serverSelectionTimeoutMS: 15_000,
    connectTimeoutMS: 10_000,
    // A port-forward whose pod or node went away can stall without closing: bound every read.
    socketTimeoutMS: 30_000,
    maxPoolSize: 2,
    ...(creds ? { auth: { username: creds.username, password: creds.password }, authSource: 'admin' } : {}),
  });
  try {
    await client.connect();
    return await fn(client);
  } finally {
    await client.close(true).catch(() => undefined);
    await fwd.close();
  }
}

export async function writeMarker(c: MongoClient, database: string, m: Marker): Promise<void> {
  await c
    .db(database)
    .collection<Marker>(MARKER_COLLECTION)
    .insertOne(m, { writeConcern: { w: 1, j: true } });
}

export async function readMarker(c: MongoClient, database: string, id: string): Promise<Marker | null> {
  return c.db(database).collection<Marker>(MARKER_COLLECTION).findOne({ _id: id });
}
