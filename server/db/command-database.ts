import path from 'node:path';
import type { Config } from '../config.js';
import { connectDatabase, disconnectDatabase } from './connect.js';
import { defaultEngineCacheDir, startEngine, type RunningEngine } from './engine.js';
import { mongoose } from './mongoose.js';

async function reachable(uri: string): Promise<boolean> {
  const c = new mongoose.mongo.MongoClient(uri, { serverSelectionTimeoutMS: 800 });
  try {
    await c.connect();
    await c.db('admin').command({ ping: 1 });
    return true;
  } catch {
    return false;
  } finally {
    await c.close().catch(() => undefined);
  }
}

/**
 * The database for a terminal command (admin:create, demo): MONGODB_URI when set; otherwise the running
 * server's embedded engine, or, when no server runs, the engine started on the same file store for the
 * length of the command. Returns what to call when the command is done. `prepare: false` leaves the
 * database as found (no index building, no migrations).
 */
export async function connectForCommand(config: Config, opts: { prepare?: boolean; socketTimeoutMS?: number } = {}): Promise<() => Promise<void>> {
  let engine: RunningEngine | undefined;
  let uri = config.mongodbUri;
  if (!uri) {
    const local = `mongodb://127.0.0.1:${config.enginePort}`;
    if (!(await reachable(local))) {
      engine = await startEngine({ backend: 'h2', port: config.enginePort, file: path.join(config.dataDir, 'accord.mv'), cacheDir: defaultEngineCacheDir() });
    }
    uri = `${local}/accord`;
  }
  try {
    await connectDatabase(uri, opts);
  } catch (err) {
    await engine?.stop();
    throw err;
  }
  return async () => {
    await disconnectDatabase();
    await engine?.stop();
  };
}
