import type { NextFunction, Request, Response } from 'express';
import { AppError, Unauthenticated } from '../errors.js';
import { translate, type Locale } from '../i18n/index.js';

/** A refused form, carried across the redirect to the page it came from (post/redirect/get). */
interface FormFlash {
  /** The address the form's page was read at (path and query). */
  back: string;
  values: Record<string, unknown>;
  errors: Record<string, string>;
  error: string;
  /** Small, page-specific facts the page shows with the refusal (which action failed, what blocks it). */
  keep: Record<string, unknown>;
}

declare module 'express-session' {
  interface SessionData {
    formFlash?: FormFlash;
  }
}

/**
 * Where a browser's form came from, when it may go back there: a navigation (the browser says so in
 * Sec-Fetch-Mode) from a page of this site (Sec-Fetch-Site, and the Referer the same-origin referrer
 * policy sends). Other clients — scripts, the tests' HTTP agents — get the refusal as the answer itself.
 */
function pageOfForm(req: Request): string | undefined {
  if (req.get('sec-fetch-mode') !== 'navigate' || req.get('sec-fetch-site') !== 'same-origin' || !req.session) return undefined;
  const referer = req.get('referer');
  if (!referer) return undefined;
  try {
    const url = new URL(referer);
    return url.pathname + url.search;
  } catch {
    return undefined;
  }
}

/**
 * Shows a form again after invalid input, what the person typed kept (never passwords) and a message
 * beside each field at fault. A browser is sent back to the page of the form (303), which shows it all, so
 * that reloading never sends the form again; any other client gets the page with the status (422, 409…).
 */
export function renderFormError(res: Response, view: string, err: unknown, values: Record<string, unknown>, extra: Record<string, unknown> = {}, keep: Record<string, unknown> = {}): void {
  if (!(err instanceof AppError) || err.status >= 500 || err.status === 403 || err.status === 404) throw err;
  const locale: Locale = res.locals.locale;
  const errors = Object.fromEntries(Object.entries(err.details ?? {}).map(([f, k]) => [f, translate(locale, k, err.params)]));
  const safeValues = Object.fromEntries(Object.entries(values ?? {}).filter(([k]) => !/password|_csrf/i.test(k)));
  const error = translate(locale, err.messageKey, err.params);
  const back = pageOfForm(res.req);
  if (back) {
    res.req.session.formFlash = { back, values: safeValues, errors, error, keep };
    res.redirect(303, back);
    return;
  }
  // Every 401 names how to authenticate (RFC 9110 §15.5.2), the sign-in form's too.
  if (err instanceof Unauthenticated) res.set('WWW-Authenticate', err.challenge);
  res.status(err.status).render(view, { ...extra, ...keep, values: safeValues, errors, error });
}

/**
 * The page a refused form went back to shows the refusal once: what was typed, the messages, `formFailed`.
 * Another page read in the meantime ends the refusal; a request the browser makes for something else —
 * its favicon, an image, a script's fetch (Sec-Fetch-Dest other than document) — leaves it for the page,
 * since it may arrive between the refused form and the redirected page.
 */
export function formFlashes(req: Request, res: Response, next: NextFunction): void {
  const flash = req.session?.formFlash;
  if (!flash || req.method !== 'GET') return next();
  if (flash.back !== req.originalUrl) {
    const dest = req.get('sec-fetch-dest');
    if (dest === undefined || dest === 'document') delete req.session.formFlash;
    return next();
  }
  delete req.session.formFlash;
  type Done = (err: Error, html: string) => void;
  const render = res.render.bind(res) as (view: string, options?: object, cb?: Done) => void;
  res.render = ((view: string, options?: object | Done, cb?: Done) => {
    const model = (typeof options === 'object' ? options : {}) as Record<string, unknown>;
    const done = typeof options === 'function' ? (options as Done) : cb;
    render(view, { ...model, ...flash.keep, values: { ...(model.values as object | undefined), ...flash.values }, errors: flash.errors, error: flash.error, formFailed: true }, done);
  }) as typeof res.render;
  next();
}
