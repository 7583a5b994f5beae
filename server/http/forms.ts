import type { Response } from 'express';
import { AppError, Unauthenticated } from '../errors.js';
import { translate, type Locale } from '../i18n/index.js';

/**
 * Shows a form again after invalid input: status 422, what the person typed kept (never passwords),
 * and a message beside each field at fault.
 */
export function renderFormError(res: Response, view: string, err: unknown, values: Record<string, unknown>, extra: Record<string, unknown> = {}): void {
  if (!(err instanceof AppError) || err.status >= 500 || err.status === 403 || err.status === 404) throw err;
  const locale: Locale = res.locals.locale;
  const errors = Object.fromEntries(Object.entries(err.details ?? {}).map(([f, k]) => [f, translate(locale, k, err.params)]));
  const safeValues = Object.fromEntries(Object.entries(values ?? {}).filter(([k]) => !/password|_csrf/i.test(k)));
  // Every 401 names how to authenticate (RFC 9110 §15.5.2), the sign-in form's too.
  if (err instanceof Unauthenticated) res.set('WWW-Authenticate', err.challenge);
  res.status(err.status).render(view, { ...extra, values: safeValues, errors, error: translate(locale, err.messageKey, err.params) });
}
