import fs from 'node:fs/promises';
import path from 'node:path';
import type { Server } from 'node:http';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { connectDatabase, disconnectDatabase } from './db/connect.js';
import { defaultEngineCacheDir, EngineSetupError, startEngine, type RunningEngine } from './db/engine.js';
import { sessionSecretFromDatabase } from './db/settings-model.js';
import { seedDelegations } from './delegations/service.js';
import { seedProductGroups } from './documents/product-groups.js';
import { loadTemplates, templatesDir } from './documents/templates.js';
import { createMailer } from './mail/mailer.js';
import { createApp } from './app.js';
import { startScheduler } from './jobs/scheduler.js';
import { systemClock } from './time/clock.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);

  let engine: RunningEngine | undefined;
  let uri = config.mongodbUri;
  if (!uri) {
    await fs.mkdir(config.dataDir, { recursive: true });
    try {
      engine = await startEngine({
        backend: 'h2',
        port: config.enginePort,
        file: path.join(config.dataDir, 'accord.mv'),
        cacheDir: defaultEngineCacheDir(),
        log: (line) => logger.info(line),
      });
    } catch (err) {
      if (err instanceof EngineSetupError) {
        console.error(err.message);
        process.exit(1);
      }
      throw err;
    }
    uri = `${engine.uri}/accord`;
    logger.info(`embedded database engine (H2 file store in ${config.dataDir}) at ${engine.uri}`);
  }

  await connectDatabase(uri);
  await seedDelegations();
  await seedProductGroups();
  const templates = await loadTemplates(templatesDir);
  const sessionSecret = config.sessionSecret ?? (await sessionSecretFromDatabase());
  const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, logger });
  const app = createApp({ config, logger, mailer, sessionSecret, templates, clock: systemClock });

  const server: Server = await new Promise((resolve) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
  });
  const scheduler = await startScheduler({ logger, clock: systemClock });
  console.log(`Accord is running at ${config.publicUrl}`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: Accord is finishing requests in flight`);
    // Stop accepting; keep-alive connections that are idle close now, busy ones after their reply.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const timer = setTimeout(() => server.closeAllConnections(), 10_000);
    await closed;
    clearTimeout(timer);
    await scheduler.stop();
    await disconnectDatabase();
    await engine?.stop();
    console.log('Accord stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
