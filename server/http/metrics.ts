// Prometheus metrics (prom-client), one registry per assembled system (docs/operations.md, "Metrics").
// Requests by route pattern and status, database operations and the wait for a connection, the process (event-loop lag,
// heap, CPU: prom-client's default metrics), scheduled jobs, mails and engine restarts.
import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { mongoose } from '../db/mongoose.js';

export interface Metrics {
  registry: Registry;
  requests: Counter<'method' | 'route' | 'status'>;
  requestSeconds: Histogram<'method' | 'route' | 'status'>;
  databaseSeconds: Histogram;
  databaseWaitSeconds: Histogram;
  jobs: Counter<'job' | 'outcome'>;
  mails: Counter<'outcome'>;
  /** reads the engine's restart count when scraped (the embedded engine only) */
  watchEngine(restarts: () => number): void;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'accord_' });
  const labels = ['method', 'route', 'status'] as const;
  let engineRestarts: () => number = () => 0;
  new Gauge({ name: 'accord_engine_restarts', help: 'Times the embedded database engine was restarted since the server started', registers: [registry], collect() { this.set(engineRestarts()); } });
  return {
    registry,
    requests: new Counter({ name: 'accord_http_requests_total', help: 'HTTP requests answered, by route pattern and status', labelNames: labels, registers: [registry] }),
    requestSeconds: new Histogram({ name: 'accord_http_request_duration_seconds', help: 'Time to answer an HTTP request', labelNames: labels, buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [registry] }),
    databaseSeconds: new Histogram({ name: 'accord_db_operation_duration_seconds', help: 'Time a database operation holds its connection (the command sent, its answer read)', buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5], registers: [registry] }),
    databaseWaitSeconds: new Histogram({ name: 'accord_db_pool_wait_seconds', help: 'Time a database operation waited for a connection of the pool', buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5], registers: [registry] }),
    jobs: new Counter({ name: 'accord_jobs_total', help: 'Scheduled job runs, by job and outcome', labelNames: ['job', 'outcome'], registers: [registry] }),
    mails: new Counter({ name: 'accord_mails_total', help: 'E-mails handed to the mail server, by outcome', labelNames: ['outcome'], registers: [registry] }),
    watchEngine(restarts) {
      engineRestarts = restarts;
    },
  };
}

/** Counts and times every answer under its route pattern (`/documents/:id`), never its address. */
export function requestMetrics(metrics: Metrics): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const stop = metrics.requestSeconds.startTimer();
    res.once('finish', () => {
      const pattern = req.route?.path as string | undefined;
      const l = { method: req.method, route: pattern ? `${req.baseUrl}${pattern}` : req.path.startsWith('/static/') ? '/static' : 'unmatched', status: String(res.statusCode) };
      stop(l);
      metrics.requests.inc(l);
    });
    next();
  };
}

const watched = new WeakMap<mongoose.mongo.MongoClient, WeakSet<Metrics>>();

/**
 * Times the database's work from the driver's connection pool: an operation checks a connection out, sends
 * its command, reads the answer and checks the connection in; the time between is the operation's, the
 * check-out's own wait is the pool's. The pool's events are made whether anyone listens or not. The driver's
 * command monitoring would name each command, but it copies every command and decodes every answer a second
 * time (a quarter of the driver's time for a small read, a tenth of an export's): production runs without it
 * (docs/operations.md, "Metrics"). Each registry listens to a client once, however many apps are built
 * around the same system.
 */
export function databaseMetrics(metrics: Metrics, client: mongoose.mongo.MongoClient): void {
  const seen = watched.get(client) ?? new WeakSet<Metrics>();
  watched.set(client, seen);
  if (seen.has(metrics)) return;
  seen.add(metrics);
  // A connection's id is unique within its server's pool.
  const since = new Map<string, number>();
  const key = (e: { address: string; connectionId: number | '<monitor>' }) => `${e.address}/${e.connectionId}`;
  client.on('connectionCheckedOut', (e) => {
    since.set(key(e), performance.now());
    metrics.databaseWaitSeconds.observe(e.durationMS / 1000);
  });
  client.on('connectionCheckedIn', (e) => {
    const k = key(e);
    const from = since.get(k);
    if (from === undefined) return;
    since.delete(k);
    metrics.databaseSeconds.observe((performance.now() - from) / 1000);
  });
  client.on('connectionClosed', (e) => since.delete(key(e)));
}

/**
 * GET /metrics for a caller with `Authorization: Bearer <token>`; without a configured token it is not
 * there at all (404), so the metrics are never public by default.
 */
export function metricsEndpoint(metrics: Metrics, token: string | undefined): RequestHandler {
  const expected = token ? Buffer.from(`Bearer ${token}`) : undefined;
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.path !== '/metrics' || req.method !== 'GET' || !expected) return next();
    const given = Buffer.from(req.headers.authorization ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      res.status(401).set('WWW-Authenticate', 'Bearer realm="metrics"').type('text/plain').send('metrics need the configured token\n');
      return;
    }
    metrics.registry.metrics().then((text) => res.type(metrics.registry.contentType).set('Cache-Control', 'no-store').send(text), next);
  };
}
