import fs from 'node:fs/promises';
import path from 'node:path';
import { createServer, type Server } from 'node:http';
import type { Express } from 'express';
import type { Logger } from 'pino';
import { announceMode, ConfigError, loadConfig, type Config } from './config.js';
import { createLogger } from './logger.js';
import { connectDatabase, disconnectDatabase } from './db/connect.js';
import { defaultEngineCacheDir, EngineSetupError, superviseEngine, type SupervisedEngine } from './db/engine.js';
import { sessionSecretFromDatabase } from './db/settings-model.js';
import { seedDelegations } from './delegations/service.js';
import { seedProductGroups } from './documents/product-groups.js';
import { loadTemplates, templatesDir } from './documents/templates.js';
import { createMailer } from './mail/mailer.js';
import { loadPdfAssets } from './pdf/assets.js';
import { committeeSigner, SigningKeyError } from './publishing/signing/keys.js';
import { createApp } from './app.js';
import { startScheduler, type Scheduler } from './jobs/scheduler.js';
import { systemClock } from './time/clock.js';
import { assembleSystem, type System } from './system.js';

async function main(): Promise<void> {
  const config = configOrExit();
  // Express (and anything else that asks) reads the mode from here; unset means production (server/config.ts).
  announceMode(config);
  const logger = createLogger(config.logLevel, { env: config.env });

  const { uri, engine } = await startDatabaseEngine(config, logger);
  await connectDatabase(uri);
  const { app, system } = await assembleApplication(config, logger);
  if (engine) system.metrics.watchEngine(() => engine.restarts());
  const server = await listenOrExit(config, app, engine);
  if (config.metricsPort) await serveMetrics(config.metricsPort, system, logger);
  const scheduler = await startScheduler({ system, logger, every: `${config.jobInterval} seconds`, processEvery: `${config.jobInterval} seconds` });
  console.log(`Accord is running at ${config.publicUrl}`);
  stopOnSignals({ server, scheduler, system, engine, logger });
}

/** The metrics, without a token, on a port of the loopback interface only (METRICS_PORT). */
async function serveMetrics(port: number, system: System, logger: Logger): Promise<void> {
  const metrics = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/metrics') return void res.writeHead(404).end();
    system.metrics.registry.metrics().then(
      (text) => res.writeHead(200, { 'Content-Type': system.metrics.registry.contentType }).end(text),
      (err: unknown) => {
        logger.error({ err }, 'metrics failed');
        res.writeHead(500).end();
      },
    );
  });
  await new Promise<void>((resolve, reject) => metrics.once('error', reject).listen(port, '127.0.0.1', () => resolve()));
  metrics.unref();
  logger.info(`metrics at http://127.0.0.1:${port}/metrics`);
}

/** The configuration from the environment; a wrong one is said plainly and ends the process (status 2). */
function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
}

/** The database to connect to: MONGODB_URI when set, else the embedded engine, started here. */
async function startDatabaseEngine(config: Config, logger: Logger): Promise<{ uri: string; engine?: SupervisedEngine }> {
  if (config.mongodbUri) return { uri: config.mongodbUri };
  await fs.mkdir(config.dataDir, { recursive: true });
  let engine: SupervisedEngine;
  try {
    // Restarted with back-off if it dies (docs/engine.md, "Supervision").
    engine = await superviseEngine({
      backend: 'h2',
      port: config.enginePort,
      file: path.join(config.dataDir, 'accord.mv'),
      cacheDir: defaultEngineCacheDir(),
      log: (line) => logger.info(line),
      events: { warn: (message) => logger.warn(message) },
    });
  } catch (err) {
    if (err instanceof EngineSetupError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  logger.info(`embedded database engine (H2 file store in ${config.dataDir}) at ${engine.uri}`);
  return { uri: `${engine.uri}/accord`, engine };
}

/** On the connected database: the seeds, the templates, the session secret, then the system and the app. */
async function assembleApplication(config: Config, logger: Logger): Promise<{ app: Express; system: System }> {
  await seedDelegations();
  await seedProductGroups();
  const templates = await loadTemplates(templatesDir);
  const sessionSecret = config.sessionSecret ?? (await sessionSecretFromDatabase());
  await startSigner(config, logger);
  const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, logger });
  const system = assembleSystem({ mailer, publicUrl: config.publicUrl, secret: sessionSecret, logger, clock: systemClock, digestTime: config.digestTime });
  return { app: createApp({ config, logger, mailer, sessionSecret, templates, system }), system };
}

/**
 * The committee's signer, read (or, without a configured certificate, made and stored) on start: a key
 * that cannot be read is said plainly and ends the process (docs/signing.md).
 */
async function startSigner(config: Config, logger: Logger): Promise<void> {
  try {
    const { identity } = await committeeSigner(config.signing, loadPdfAssets().text.committee);
    if (identity.development) logger.warn('published PDFs are signed with a self-signed development certificate: set SIGNING_P12_FILE or SIGNING_CERT_FILE and SIGNING_KEY_FILE (docs/signing.md)');
    else logger.info(`published PDFs are signed by ${identity.name} (certificate SHA-256 ${identity.fingerprint})`);
  } catch (err) {
    if (!(err instanceof SigningKeyError) && (err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    console.error(`The signing certificate cannot be used: ${(err as Error).message}`);
    process.exit(2);
  }
}

/** The HTTP server, listening; a port that is taken is said plainly and ends the process. */
async function listenOrExit(config: Config, app: Express, engine: SupervisedEngine | undefined): Promise<Server> {
  // A client gets REQUEST_TIMEOUT seconds to send its whole request and 20 s (at most) for the
  // headers; one that trickles is answered 408 and cut off. Checked every second (Node's default is 30 s).
  const server: Server = createServer(
    {
      requestTimeout: config.requestTimeout * 1000,
      headersTimeout: Math.min(config.requestTimeout, 20) * 1000,
      connectionsCheckingInterval: 1000,
    },
    app,
  );
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    console.error(`Accord cannot listen on ${config.host}:${config.port}: the port is taken (is another Accord running?). Set PORT to a free port.`);
    await engine?.stop();
    process.exit(1);
  }
  return server;
}

interface Running {
  server: Server;
  scheduler: Scheduler;
  system: System;
  engine: SupervisedEngine | undefined;
  logger: Logger;
}

/** SIGTERM or SIGINT: requests in flight are finished, then everything stops in turn and the process ends. */
function stopOnSignals({ server, scheduler, system, engine, logger }: Running): void {
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
    // Each step on its own: a database that is away (the engine dead, a restart pending) fails the
    // first two within the driver's time limits, and the engine is stopped all the same.
    const step = (what: string, work: Promise<unknown>) => work.catch((err) => logger.warn({ err }, `${what} failed while stopping`));
    await step('stopping the scheduler', scheduler.stop());
    await step('sending the notices under way', system.notices.drain());
    await step('closing the database connection', disconnectDatabase());
    await step('stopping the embedded database', engine?.stop() ?? Promise.resolve());
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
