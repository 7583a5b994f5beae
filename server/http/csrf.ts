import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { csrfSync } from 'csrf-sync';
import { hasSessionCookie } from '../auth/index.js';

const cookieName = 'accord.csrf';

function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/**
 * CSRF protection with csrf-sync: the synchroniser token lives in the session of a signed-in person.
 * Anonymous visitors (sign-in, set-up, password forms) have no session yet, and making one just to hold
 * a token would write to the database on every page view; their token is kept in an HMAC-signed
 * httpOnly cookie instead, checked by the same csrf-sync middleware.
 */
export function csrfProtection(opts: { secret: string; secure: boolean }): RequestHandler {
  const sign = (token: string) => createHmac('sha256', opts.secret).update(`csrf:${token}`).digest('base64url');
  // The session holds a signed-in person (also when this request is signed in by a token besides).
  const signedIn = (req: Request) => !!(req.session as { passport?: { user?: unknown } } | undefined)?.passport?.user;

  const { csrfSynchronisedProtection } = csrfSync({
    getTokenFromRequest: (req) => {
      if (typeof req.body?._csrf === 'string') return req.body._csrf;
      if (typeof req.headers['x-csrf-token'] === 'string') return req.headers['x-csrf-token'];
      // A multipart form (an upload) is read by its route after this check, so its token rides in the
      // form's action URL.
      return req.is('multipart/form-data') && typeof req.query._csrf === 'string' ? req.query._csrf : undefined;
    },
    getTokenFromState: (req) => {
      if (signedIn(req)) return req.session.csrfToken;
      const raw = readCookie(req, cookieName);
      const dot = raw?.lastIndexOf('.') ?? -1;
      if (!raw || dot < 1) return undefined;
      const token = raw.slice(0, dot);
      const want = Buffer.from(sign(token));
      const got = Buffer.from(raw.slice(dot + 1));
      return want.length === got.length && timingSafeEqual(want, got) ? token : undefined;
    },
    storeTokenInState: (req, token) => {
      if (signedIn(req)) {
        req.session.csrfToken = token;
        return;
      }
      if (token) req.res?.cookie(cookieName, `${token}.${sign(token)}`, { httpOnly: true, sameSite: 'lax', secure: opts.secure, path: '/' });
    },
    // A bearer token is not sent by browsers on their own, so token calls cannot be forged cross-site;
    // a call that also carries the session cookie a browser does send is checked like any other.
    skipCsrfProtection: (req) => req.user?.via === 'token' && !hasSessionCookie(req.headers),
    errorConfig: { statusCode: 403, message: 'invalid csrf token', code: 'EBADCSRFTOKEN' },
  });
  return csrfSynchronisedProtection;
}
