import type { ErrorRequestHandler, NextFunction, Request, Response } from 'express';
import { AppError, NotFound, TooManyRequests, Unauthenticated, type MessageParams } from '../errors.js';
import { isDatabaseUnavailable } from '../db/connect.js';
import { translate, type Locale } from '../i18n/index.js';
import { wantsJson } from './request-context.js';
import { notShared } from './caching.js';

interface Problem {
  status: number;
  key: string;
  params: MessageParams;
  details?: Record<string, string>;
}

function problemFor(err: unknown): Problem {
  if (err instanceof AppError) return { status: err.status, key: err.messageKey, params: err.params, details: err.details };
  if (isDatabaseUnavailable(err)) return { status: 503, key: 'errors.unavailable', params: {} };
  const e = err as { type?: string; status?: number; code?: string; name?: string };
  if (e?.code === 'EBADCSRFTOKEN') return { status: 403, key: 'errors.csrf', params: {} };
  if (e?.type === 'entity.too.large') return { status: 413, key: 'errors.tooLarge', params: {} };
  if (e?.type === 'entity.parse.failed') return { status: 400, key: 'errors.malformedJson', params: {} };
  if (e?.type === 'charset.unsupported' || e?.type === 'encoding.unsupported') return { status: 415, key: 'errors.badEncoding', params: {} };
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) return { status: e.status, key: 'errors.badRequest', params: {} };
  return { status: 500, key: 'errors.internal', params: {} };
}

export function notFoundHandler(_req: Request, _res: Response, next: NextFunction): void {
  next(new NotFound('errors.notFound'));
}

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const p = problemFor(err);
  if (p.status >= 500 && p.status !== 503) req.log?.error({ err }, 'request failed');
  else if (p.status === 503) req.log?.warn({ err: { name: (err as Error)?.name, message: (err as Error)?.message } }, 'database unavailable');
  if (res.headersSent) {
    res.destroy();
    return;
  }
  notShared(res);
  const locale: Locale = res.locals.locale ?? 'ru';
  const message = translate(locale, p.key, p.params);
  if (err instanceof TooManyRequests) res.set('Retry-After', String(err.retryAfterSeconds));
  if (err instanceof Unauthenticated) res.set('WWW-Authenticate', err.challenge);
  if (p.status === 503) res.set('Retry-After', '5');
  res.status(p.status);
  if (wantsJson(req)) {
    const fields = p.details && Object.fromEntries(Object.entries(p.details).map(([f, k]) => [f, translate(locale, k, p.params)]));
    res.json({ error: { status: p.status, code: p.key, message, ...(fields ? { fields } : {}) } });
    return;
  }
  const view = p.status === 503 ? 'errors/unavailable' : 'errors/error';
  // Only a 503 leaves the site's layout; `layout: undefined` would mean no layout at all, not the default one.
  res.render(view, { title: translate(locale, `errors.title.${p.status}`), status: p.status, message, ...(p.status === 503 ? { layout: 'bare' } : {}) }, (renderErr, html) => {
    if (renderErr) res.type('text/plain').send(message);
    else res.send(html);
  });
};
