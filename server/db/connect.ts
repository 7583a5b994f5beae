import { mongoose } from './mongoose.js';
import { runMigrations } from './migrations/run.js';

export async function connectDatabase(uri: string): Promise<typeof mongoose> {
  await mongoose.connect(uri, {
    serverSelectionTimeoutMS: 5000,
    heartbeatFrequencyMS: 2000,
    autoIndex: false,
  });
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
