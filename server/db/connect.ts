import { mongoose } from './mongoose.js';
import { runMigrations } from './migrations/run.js';

/**
 * Time limits of the driver, so that a database that stalls or dies turns into 503 answers within
 * about five seconds instead of requests that hang (docs/engine.md, "Time limits"):
 * - the driver checks the server every second, and a check that gets no answer within two seconds
 *   marks it unavailable: operations waiting on it fail at once, new requests get 503 without trying;
 * - an operation waits at most two seconds for an available server (an operation cut off by a failed
 *   check is retried once, and waits that long for the server to come back);
 * - no single answer from the server is awaited longer than five seconds.
 */
export const DRIVER_TIME_LIMITS = {
  heartbeatFrequencyMS: 1000,
  connectTimeoutMS: 2000,
  serverSelectionTimeoutMS: 2000,
  socketTimeoutMS: 5000,
} as const;

/** How long start-up waits for the database to answer at all (a cold engine, a replica set electing). */
const FIRST_CONNECTION_MS = 30_000;

/**
 * Connects, then builds the models' indexes and runs the migrations — unless `prepare` is false: backup
 * and restore take the database exactly as they find it (server/db/backup.ts). `socketTimeoutMS` lets a
 * terminal command wait longer than a request may (reading a whole large collection in order).
 */
export async function connectDatabase(uri: string, opts: { prepare?: boolean; socketTimeoutMS?: number } = {}): Promise<typeof mongoose> {
  // The short limits above are for a running server; the first connection may wait longer, trying
  // again every half second until FIRST_CONNECTION_MS have passed.
  const deadline = performance.now() + FIRST_CONNECTION_MS;
  for (;;) {
    try {
      // No command monitoring: the database latency of /metrics comes from the connection pool (server/http/metrics.ts).
      await mongoose.connect(uri, { ...DRIVER_TIME_LIMITS, ...(opts.socketTimeoutMS !== undefined ? { socketTimeoutMS: opts.socketTimeoutMS } : {}), autoIndex: false });
      break;
    } catch (err) {
      if (!isDatabaseUnavailable(err) || performance.now() > deadline) throw err;
      await mongoose.disconnect().catch(() => undefined);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  if (opts.prepare === false) return mongoose;
  await syncAllIndexes();
  await runMigrations(mongoose.connection.db!);
  return mongoose;
}

/** Builds the indexes every model declares; MongoDB needs them for every query shape. */
export async function syncAllIndexes(): Promise<void> {
  for (const model of Object.values(mongoose.models)) await model.createIndexes();
}

export async function disconnectDatabase(): Promise<void> {
  await mongoose.disconnect();
}

export function databaseIsConnected(): boolean {
  return mongoose.connection.readyState === mongoose.ConnectionStates.connected;
}

/** True for errors that mean "the database cannot be reached", as opposed to a bad query. */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  // Network errors include time-outs and the "pool cleared" errors of operations that were waiting
  // on a server the driver has just found unresponsive.
  if (err instanceof mongoose.mongo.MongoNetworkError || err instanceof mongoose.mongo.MongoServerSelectionError) return true;
  const name = err.name;
  return (
    name === 'MongoNetworkError' ||
    name === 'MongoServerSelectionError' ||
    name === 'MongoNotConnectedError' ||
    name === 'MongoTopologyClosedError' ||
    name === 'MongoNetworkTimeoutError' ||
    name === 'MongooseServerSelectionError' ||
    (name === 'MongooseError' && /not connected|buffering|disconnected/i.test(err.message))
  );
}
