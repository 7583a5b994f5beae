// What caches may keep. Pages, API answers and exports are built for their caller, so by default
// nothing is stored (`private, no-store`). A route whose content is the same for every anonymous
// visitor — the catalogue, published texts — may allow a short public max-age with sharedFor(); it is
// given only to a caller who is not signed in (no session cookie, no token) and to an answer that sets
// no cookie. A route that sets Cache-Control itself (a published PDF: immutable) keeps its own.
import type { NextFunction, Request, Response } from 'express';
import compression from 'compression';
import onHeaders from 'on-headers';
import { hasSessionCookie } from '../auth/index.js';

const publicMaxAge = Symbol('publicMaxAge');
type WithPolicy = Response & { [publicMaxAge]?: number };

/** The caller may be told apart from other callers: signed in, or carrying a session or a token. */
function personal(req: Request): boolean {
  return !!req.user || !!req.headers.authorization || hasSessionCookie(req.headers);
}

export function cachePolicy(req: Request, res: Response, next: NextFunction): void {
  onHeaders(res, () => {
    // The same address answers each caller differently (signed in or not, the language cookie).
    res.vary('Cookie');
    res.vary('Authorization');
    if (res.getHeader('Cache-Control') !== undefined) return;
    const maxAge = (res as WithPolicy)[publicMaxAge];
    const shared = maxAge !== undefined && res.statusCode === 200 && !personal(req) && res.getHeader('Set-Cookie') === undefined;
    res.setHeader('Cache-Control', shared ? `public, max-age=${maxAge}` : 'private, no-store');
  });
  next();
}

/** This answer is the same for every anonymous visitor: shared caches may keep it for a while. */
export function sharedFor(res: Response, seconds = 60): void {
  (res as WithPolicy)[publicMaxAge] = seconds;
}

/** An answer that errs is never shared, whatever its route had allowed. */
export function notShared(res: Response): void {
  delete (res as WithPolicy)[publicMaxAge];
}

/**
 * gzip or brotli for text (HTML, JSON, CSV, CSS, JavaScript, SVG, Atom), as the client accepts; never a
 * PDF or spreadsheet (compressed already) and never a byte range, whose offsets are of the file itself.
 */
export const compressText = compression({
  filter: (req, res) => {
    if (req.headers.range !== undefined || res.statusCode === 206) return false;
    if (/^application\/pdf\b/i.test(String(res.getHeader('Content-Type') ?? ''))) return false;
    return compression.filter(req, res);
  },
});
