import path from 'node:path';
import express, { type Express, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import session from 'express-session';
import MongoStore from 'connect-mongo';
import helmet from 'helmet';
import { z } from 'zod';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { mongoose } from './db/mongoose.js';
import { databaseIsConnected } from './db/connect.js';
import { databaseHealth, databaseReadiness } from './db/health.js';
import { Unavailable } from './errors.js';
import { errorHandler, notFoundHandler } from './http/errors.js';
import { cleanTexts, parseCleanQuery } from './http/clean-text.js';
import { requestLogger } from './http/logging.js';
import { csrfProtection } from './http/csrf.js';
import { pageLocals } from './http/locals.js';
import { formFlashes } from './http/forms.js';
import { mountRoutes, type RouteDef } from './http/route-table.js';
import { configureViews, viewsDir } from './http/views.js';
import { createPassport, sessionUser } from './auth/passport.js';
import { createSignInLimiter } from './auth/limiter.js';
import { hasSessionCookie, sessionCollection, sessionCookie } from './auth/sessions.js';
import { bearerTokens } from './auth/bearer.js';
import { authRoutes } from './auth/routes.js';
import { apiPeopleQuery, userRoutes } from './users/routes.js';
import { homeRoutes } from './home/routes.js';
import { delegationRoutes } from './delegations/routes.js';
import type { Mailer } from './mail/mailer.js';
import { documentRoutes } from './documents/routes.js';
import { documentApi, documentApiRoutes } from './documents/api.js';
import { documentDocxRoutes } from './documents/docx-routes.js';
import { documentPdfRoutes } from './documents/pdf-routes.js';
import { loadPdfAssets } from './pdf/assets.js';
import { openApiDocument, type ApiOperation } from './http/openapi.js';
import { route } from './http/route-table.js';
import { anyone } from './auth/guards.js';
import { productGroupRoutes } from './documents/product-group-routes.js';
import { listProductGroups } from './documents/product-groups.js';
import { roles } from './users/index.js';
import type { Template } from './documents/templates.js';
import { applyApi, commentApi, commentImportApi, commentRoutes, reportApi } from './comments/routes.js';
import { appliedComments, clauseComments, openDisagreements } from './comments/index.js';
import { ballotApi, ballotRoutes } from './ballots/routes.js';
import { catalogueApi, catalogueRoutes } from './catalogue/routes.js';
import { amendmentApi, publishingApi, publishingRoutes } from './publishing/routes.js';
import { committeeRoutes } from './committee/routes.js';
import { programmeApi, programmeRoutes } from './programme/routes.js';
import { meetingRoutes } from './meetings/routes.js';
import { meetingApi, meetingApiRoutes } from './meetings/api.js';
import { reviewApi, reviewRoutes } from './review/routes.js';
import { reviewDateFor } from './review/index.js';
import { noticeRoutes } from './users/notice-routes.js';
import { systemClock, type Clock } from './time/clock.js';
import { assembleSystem, type System } from './system.js';
import { requestClock } from './http/request-clock.js';
import { cachePolicy, compressText, sharedFor } from './http/caching.js';
import { databaseMetrics, metricsEndpoint, requestMetrics } from './http/metrics.js';

export interface AppDeps {
  config: Config;
  logger: Logger;
  mailer: Mailer;
  sessionSecret: string;
  templates: readonly Template[];
  /** Where "now" comes from; the system clock unless a test fixes it. */
  clock?: Clock;
  /** The notices and the lifecycle (server/system.ts); assembled from the above when not given. */
  system?: System;
}

/** Builds the application around an open database connection; it connects to nothing itself. */
export function createApp(deps: AppDeps): Express {
  const { config } = deps;
  const clock = deps.system?.clock ?? deps.clock ?? systemClock;
  const system = deps.system ?? assembleSystem({ mailer: deps.mailer, publicUrl: config.publicUrl, secret: deps.sessionSecret, logger: deps.logger, clock });
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy || false);
  app.set('query parser', parseCleanQuery);
  configureViews(app, config.env !== 'development', { compress: true });

  app.use(requestLogger(deps.logger));
  app.use(requestMetrics(system.metrics));
  // Before the API tokens: the metrics token is not a person's token.
  app.use(metricsEndpoint(system.metrics, config.metricsToken));
  app.use(requestClock(clock));
  app.use(securityHeaders(config));
  app.use(compressText);
  app.use('/static', express.static(path.join(viewsDir, 'static'), { maxAge: '1d', index: false }));
  app.use(cachePolicy);

  // Answers within a second whatever the database does (a bounded, cached ping: server/db/health.ts).
  const health = databaseHealth();
  const readiness = databaseReadiness(health);
  app.get('/healthz', async (_req, res) => {
    const up = await health.isUp();
    res.status(up ? 200 : 503).json({ status: up ? 'ok' : 'unavailable', database: up ? 'up' : 'down' });
  });

  app.get('/readyz', async (_req, res) => {
    const ready = await readiness.check();
    res.status(ready.ready ? 200 : 503).json({ status: ready.ready ? 'ready' : 'not ready', ...ready.parts });
  });
  if (databaseIsConnected()) databaseMetrics(system.metrics, mongoose.connection.getClient());

  // Without the database nothing below can answer; say so at once instead of waiting for a time-out.
  app.use((_req: Request, _res: Response, next: NextFunction) => next(databaseIsConnected() ? undefined : new Unavailable('errors.unavailable')));

  const bodies = [
    express.urlencoded({ extended: false, limit: '1mb', parameterLimit: 200 }),
    express.json({ limit: '1mb' }),
    (req: Request, _res: Response, next: NextFunction) => {
      if (req.body && typeof req.body === 'object') req.body = cleanTexts(req.body);
      next();
    },
  ];
  // A request without a body (every GET a browser sends) has nothing for them to read.
  app.use((req: Request, res: Response, next: NextFunction) => (hasBody(req) ? runAll(bodies, req, res, next) : next()));

  const passport = createPassport();
  app.use(signedInSessions(config, deps.sessionSecret, passport));
  // Any call may carry a personal token instead of a session cookie.
  app.use(bearerTokens(passport));

  app.use(pageLocals);
  app.use(formFlashes);
  app.use(csrfProtection({ secret: deps.sessionSecret, secure: config.cookieSecure }));

  mountRoutes(app, routeTable(deps, system, passport));

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}

/** Every feature's routes, each given what it needs. */
function routeTable(deps: AppDeps, system: System, passport: ReturnType<typeof createPassport>): RouteDef[] {
  const { config } = deps;
  const { lifecycle, notices, clock } = system;
  const pdfAssets = loadPdfAssets();
  return [
    ...authRoutes({ passport, limiter: createSignInLimiter(), mailer: deps.mailer, publicUrl: config.publicUrl }),
    ...userRoutes({ mailer: deps.mailer, publicUrl: config.publicUrl }),
    ...homeRoutes(),
    ...delegationRoutes(),
    ...productGroupRoutes(),
    ...committeeRoutes(),
    ...programmeRoutes(),
    ...documentRoutes({ templates: deps.templates, lifecycle, clauseComments, disagreements: (doc, locale) => openDisagreements(doc, doc.round, locale), appliedComments, reviewDate: reviewDateFor }),
    ...documentApiRoutes({ templates: deps.templates, lifecycle }),
    ...documentPdfRoutes({ assets: pdfAssets, appliedComments }),
    ...documentDocxRoutes({ assets: pdfAssets }),
    ...commentRoutes({ pdfAssets, notices, lifecycle, templates: deps.templates }),
    ...ballotRoutes({ lifecycle }),
    ...reviewRoutes({ lifecycle, assets: pdfAssets }),
    ...catalogueRoutes({ publicUrl: config.publicUrl }),
    ...publishingRoutes({ publicUrl: config.publicUrl, clock, lifecycle, signing: config.signing }),
    ...meetingRoutes({ mailer: deps.mailer, notices, publicUrl: config.publicUrl, mailFrom: config.mailFrom, pdfAssets, logger: deps.logger }),
    ...meetingApiRoutes(),
    ...noticeRoutes({ secret: deps.sessionSecret }),
    ...apiDocsRoutes([...platformApi, ...documentApi, ...ballotApi, ...catalogueApi, ...publishingApi, ...amendmentApi, ...commentApi, ...reportApi, ...applyApi, ...commentImportApi, ...programmeApi, ...reviewApi, ...meetingApi], deps.templates),
  ];
}

function securityHeaders(config: Config): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        upgradeInsecureRequests: config.cookieSecure ? [] : null,
      },
    },
    strictTransportSecurity: config.cookieSecure,
    // The full address to pages of this site (a refused form goes back to its page: server/http/forms.ts), nothing to others.
    referrerPolicy: { policy: 'same-origin' },
  });
}

/**
 * Sessions in the database and passport on top. A page read by someone without a session cookie (an
 * anonymous visitor, a catalogue reader, an API client with a token) has no session to load and none to
 * start: it skips that work. Forms that sign in post, and posting starts the session.
 */
function signedInSessions(config: Config, secret: string, passport: ReturnType<typeof createPassport>): RequestHandler {
  const sessions = session({
    name: sessionCookie,
    secret,
    resave: false,
    saveUninitialized: false,
    rolling: false,
    store: MongoStore.create({
      // connect-mongo is typed against its own copy of the driver; the client object is the same API.
      client: mongoose.connection.getClient() as unknown as Parameters<typeof MongoStore.create>[0]['client'],
      dbName: mongoose.connection.db?.databaseName,
      collectionName: sessionCollection,
      stringify: false,
      ttl: 12 * 3600,
      touchAfter: 300,
      autoRemove: 'native',
    }),
    cookie: { httpOnly: true, sameSite: 'lax', secure: config.cookieSecure, maxAge: 12 * 3600_000 },
  });
  const signedInSession = [sessions, passport.initialize(), sessionUser()];
  return (req: Request, res: Response, next: NextFunction) => {
    if ((req.method === 'GET' || req.method === 'HEAD') && !hasSessionCookie(req.headers)) return next();
    runAll(signedInSession, req, res, next);
  };
}

const tokenOut = z.object({ id: z.string(), name: z.string(), prefix: z.string(), createdAt: z.string(), lastUsedAt: z.string().nullable(), revokedAt: z.string().nullable() });

/** The platform's own JSON operations (accounts and delegations), for the OpenAPI document. */
const platformApi: ApiOperation[] = [
  {
    id: 'getMe', method: 'get', path: '/api/me', tag: 'accounts', summary: 'Who the caller is', access: 'signed in (session or token)',
    response: z.object({ id: z.string(), name: z.string(), email: z.string(), role: z.enum(roles), delegation: z.string().nullable() }),
  },
  { id: 'listTokens', method: 'get', path: '/api/tokens', tag: 'accounts', summary: "The caller's API tokens (never their secrets)", access: 'signed in', response: z.object({ tokens: z.array(tokenOut) }) },
  {
    id: 'listUsers', method: 'get', path: '/api/users', tag: 'accounts', access: 'administrator', query: apiPeopleQuery,
    summary: 'The accounts by name, a page at a time (pageSize rows, 100 unless asked; a page past the last is the last) with their total: found by words of the name or e-mail (q: each word begins one of theirs), of a delegation (its code; an unknown code has nobody), a role, a status (active, invited, deactivated)',
    response: z.object({
      users: z.array(z.object({ id: z.string(), email: z.string(), name: z.string(), role: z.enum(roles), delegation: z.string().nullable(), active: z.boolean(), invited: z.boolean() })),
      page: z.number(), pageSize: z.number(), total: z.number(), pages: z.number(),
    }),
  },
  {
    id: 'listDelegations', method: 'get', path: '/api/delegations', tag: 'accounts', summary: 'The national delegations', access: 'signed in',
    response: z.object({ delegations: z.array(z.object({ code: z.string(), name: z.object({ ru: z.string(), en: z.string() }), active: z.boolean() })) }),
  },
];

function apiDocsRoutes(ops: ApiOperation[], templates: readonly Template[]): RouteDef[] {
  // Kinds and product groups are published as enums of the lists the server checks against; the
  // product groups are kept by the secretariat, so the document is made afresh for each request.
  const document = async () => {
    const productGroups = (await listProductGroups()).filter((g) => g.active).map((g) => g.code);
    return openApiDocument(ops, { title: 'Accord JSON API', version: '1' }, { kinds: templates.map((t) => t.id), productGroups });
  };
  return [
    route('get', '/api/openapi.json', anyone, async (_req, res) => {
      const doc = await document();
      sharedFor(res);
      res.json(doc);
    }),
    route('get', '/api/docs', anyone, async (_req, res) => {
      const doc = await document();
      const operations = ops.map((op) => {
        const d = (doc.paths[op.path.replace(/:(\w+)/g, '{$1}')] as Record<string, { requestBody?: { content: Record<string, { schema: unknown }> }; parameters: unknown[] }>)[op.method]!;
        // An upload's body is the file itself: its words say what it is.
        const body = op.upload ?? (d.requestBody ? JSON.stringify(d.requestBody.content['application/json']!.schema, null, 2) : undefined);
        return { ...op, method: op.method.toUpperCase(), body, parameters: d.parameters.length ? JSON.stringify(d.parameters, null, 2) : undefined };
      });
      res.render('api/docs', { title: 'api.title', operations });
    }),
  ];
}

/** A request with a body, as the body parsers tell (a length or a chunked transfer). */
function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || req.headers['content-length'] !== undefined;
}

/** Runs middleware one after another, as app.use would. */
function runAll(stack: RequestHandler[], req: Request, res: Response, done: NextFunction): void {
  let i = 0;
  const next: NextFunction = (err?: unknown) => {
    if (err || i === stack.length) return done(err);
    stack[i++]!(req, res, next);
  };
  next();
}
