import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';

declare module 'http' {
  interface IncomingMessage {
    /** The request id: on every log line of the request and in the X-Request-Id response header. */
    id: string;
    log: Logger;
  }
}

// One-time links carry their secret in the path; it must never reach a log line.
const secretPaths = /^(\/(?:invitations|password\/reset)\/)[^/?#]+/;
const quiet = (url: string) => url === '/healthz' || url.startsWith('/static/');

const baseLogger = Symbol('baseLogger');
const childLogger = Symbol('childLogger');
type Logged = IncomingMessage & { [baseLogger]?: Logger; [childLogger]?: Logger };

// `req.log` is the request's child logger, made on first use: one getter on the prototype, defined once,
// rather than an accessor defined on each request object (which costs every request its definition).
Object.defineProperty(IncomingMessage.prototype, 'log', {
  configurable: true,
  get(this: Logged): Logger | undefined {
    const base = this[baseLogger];
    return base && (this[childLogger] ??= base.child({ reqId: this.id }));
  },
});

/**
 * Gives each request an id (the caller's X-Request-Id when it looks like one) and a pino child logger
 * that carries it, made only when something is logged; logs one line per finished request.
 */
export function requestLogger(logger: Logger) {
  const logFinished = logger.isLevelEnabled('info');
  return (req: Request, res: Response, next: NextFunction): void => {
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && /^[\w.-]{8,64}$/.test(given) ? given : randomUUID();
    req.id = id;
    res.setHeader('X-Request-Id', id);
    (req as Logged)[baseLogger] = logger;
    if (logFinished && !quiet(req.url)) {
      const started = performance.now();
      res.once('finish', () => {
        const level = res.statusCode >= 500 ? 'error' : 'info';
        req.log[level]({ req: { method: req.method, url: req.originalUrl.replace(secretPaths, '$1[redacted]'), remoteAddress: req.ip }, res: { statusCode: res.statusCode }, ms: Math.round(performance.now() - started) }, 'request completed');
      });
    }
    next();
  };
}
