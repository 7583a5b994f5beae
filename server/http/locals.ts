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

/** The page's language (the remembered choice, else Russian) and what every view needs to know. */
export function pageLocals(req: Request, res: Response, next: NextFunction): void {
  const chosen = cookie(req, 'lang');
  const locale: Locale = isLocale(chosen) ? chosen : defaultLocale;
  res.locals.locale = locale;
  res.locals.otherLocale = locale === 'ru' ? 'en' : 'ru';
  res.locals.pathEncoded = encodeURIComponent(req.originalUrl);
  const u = req.user;
  if (u) {
    res.locals.currentUser = { id: u.id, name: u.name, role: u.role, delegation: u.delegationCode };
    res.locals.isAdmin = u.role === 'administrator';
    res.locals.canKeepLists = u.role === 'administrator' || u.role === 'secretariat';
  }
  res.locals.csrf = () => (req.csrfToken ? req.csrfToken() : '');
  next();
}
