import type { NextFunction, Request, Response } from 'express';
import { defaultLocale, isLocale, type Locale } from '../i18n/index.js';

function cookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/** What every view needs to know besides its own model: language, the caller, the current address. */
export function localsFor(user: Express.User | undefined, locale: Locale, url: string): Record<string, unknown> {
  const locals: Record<string, unknown> = { locale, otherLocale: locale === 'ru' ? 'en' : 'ru', pathEncoded: encodeURIComponent(url) };
  if (user) {
    locals.currentUser = { id: user.id, name: user.name, role: user.role, delegation: user.delegationCode };
    locals.isAdmin = user.role === 'administrator';
    locals.inCommittee = ['administrator', 'secretariat', 'head', 'member'].includes(user.role);
    locals.canKeepLists = user.role === 'administrator' || user.role === 'secretariat';
  }
  return locals;
}

/** The page's language (the remembered choice, else Russian) and the locals of every view. */
export function pageLocals(req: Request, res: Response, next: NextFunction): void {
  const chosen = cookie(req, 'lang');
  Object.assign(res.locals, localsFor(req.user, isLocale(chosen) ? chosen : defaultLocale, req.originalUrl));
  // One token for the whole page: a caller whose token lives in a cookie (anonymous, or signed in by an
  // API token) would otherwise get a new cookie for each form on it.
  let csrf: string | undefined;
  res.locals.csrf = () => (csrf ??= req.csrfToken ? req.csrfToken() : '');
  next();
}
