// Fetches and builds the embedded database engine ahead of time (CI, fresh machines):
//   tsx server/db/engine-install.ts
import { defaultEngineCacheDir, EngineSetupError, ensureEngineInstalled } from './engine.js';

const cacheDir = defaultEngineCacheDir();
try {
  await ensureEngineInstalled(cacheDir, (line) => console.error(line));
  console.log(`accord-engine ready in ${cacheDir}`);
} catch (err) {
  console.error(err instanceof EngineSetupError ? err.message : err);
  process.exitCode = 1;
}
