import { createHmac, randomFillSync, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
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

/** How much of a multipart body is looked at for its token: the form sends it as its first part. */
const PEEK_LIMIT = 8 * 1024;
const multipartToken = Symbol('multipartToken');
type WithToken = Request & { [multipartToken]?: string };

/** The value of the first part of a multipart body, when that part is the text field `_csrf`. */
export function firstPartToken(head: Buffer, boundary: string): string | undefined {
  const text = head.toString('latin1');
  const open = `--${boundary}\r\n`;
  const start = text.indexOf(open);
  if (start < 0 || text.slice(0, start).trim() !== '') return undefined;
  const headersEnd = text.indexOf('\r\n\r\n', start + open.length);
  if (headersEnd < 0) return undefined;
  const headers = text.slice(start + open.length, headersEnd);
  if (!/^content-disposition:\s*form-data;\s*name="_csrf"\s*$/im.test(headers) || /filename/i.test(headers)) return undefined;
  const end = text.indexOf(`\r\n--${boundary}`, headersEnd + 4);
  if (end < 0) return undefined;
  const value = text.slice(headersEnd + 4, end);
  return /^[\x21-\x7e]{1,1000}$/.test(value) ? value : undefined;
}

const boundaryOf = (req: Request): string | undefined => {
  const m = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(String(req.headers['content-type'] ?? ''));
  return m?.[1] ?? m?.[2];
};

/**
 * A multipart form (an upload) is read by its route, after the CSRF check; so that its token need not
 * ride in the form's address (where logs and the Referer header would keep it), the form sends it as its
 * first field, and the start of the body is read here for it and given back to the stream untouched.
 */
function peekMultipartToken(req: Request, _res: Response, next: NextFunction): void {
  const found = req.method === 'POST' && req.is('multipart/form-data') ? boundaryOf(req) : undefined;
  if (!found) return next();
  const boundary: string = found;
  const chunks: Buffer[] = [];
  let size = 0;
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    req.off('readable', onReadable);
    req.off('end', finish);
    req.off('error', finish);
    const head = Buffer.concat(chunks, size);
    (req as WithToken)[multipartToken] = firstPartToken(head, boundary);
    // Given back in the same tick as it was read: the body reads as if untouched.
    if (head.length && !req.readableEnded) req.unshift(head);
    next();
  };
  function onReadable() {
    let chunk: Buffer | null;
    while (!finished && (chunk = req.read() as Buffer | null) !== null) {
      chunks.push(chunk);
      size += chunk.length;
      const seen = Buffer.concat(chunks, size);
      const first = seen.indexOf(`--${boundary}\r\n`);
      const second = first < 0 ? -1 : seen.indexOf(`\r\n--${boundary}`, first + boundary.length + 4);
      if (second >= 0 || size >= PEEK_LIMIT) return finish();
    }
  }
  req.on('readable', onReadable);
  req.on('end', finish);
  req.on('error', finish);
}

/** Bytes of randomness in a CSRF token (256 bits). */
const TOKEN_BYTES = 32;
const pool = Buffer.alloc(TOKEN_BYTES * 128);
let poolUsed = pool.length;

/**
 * A new token: from randomness drawn in bulk and handed out once, as crypto.randomUUID does, since every
 * anonymous page view needs a token of its own and drawing 32 bytes at a time costs far more per token.
 */
function newToken(): string {
  if (poolUsed === pool.length) {
    randomFillSync(pool);
    poolUsed = 0;
  }
  const token = pool.toString('hex', poolUsed, poolUsed + TOKEN_BYTES);
  pool.fill(0, poolUsed, poolUsed + TOKEN_BYTES);
  poolUsed += TOKEN_BYTES;
  return token;
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

  const getTokenFromState = (req: Request): string | undefined => {
    if (signedIn(req)) return req.session.csrfToken ?? undefined;
    const raw = readCookie(req, cookieName);
    const dot = raw?.lastIndexOf('.') ?? -1;
    if (!raw || dot < 1) return undefined;
    const token = raw.slice(0, dot);
    const want = Buffer.from(sign(token));
    const got = Buffer.from(raw.slice(dot + 1));
    return want.length === got.length && timingSafeEqual(want, got) ? token : undefined;
  };
  const storeTokenInState = (req: Request, token?: string | null): void => {
    if (signedIn(req)) {
      req.session.csrfToken = token;
      return;
    }
    // The token and its signature are hex and base64url: nothing in them to encode.
    if (token) req.res?.cookie(cookieName, `${token}.${sign(token)}`, { httpOnly: true, sameSite: 'lax', secure: opts.secure, path: '/', encode: String });
  };
  // The page's token (req.csrfToken, called once per page: server/http/locals.ts): the one in the state, else a new one.
  const csrfToken = (req: Request) => (overwrite?: boolean): string => {
    const current = overwrite ? undefined : getTokenFromState(req);
    if (typeof current === 'string') return current;
    const token = newToken();
    storeTokenInState(req, token);
    return token;
  };

  const { csrfSynchronisedProtection } = csrfSync({
    getTokenFromRequest: (req) => {
      if (typeof req.body?._csrf === 'string') return req.body._csrf;
      if (typeof req.headers['x-csrf-token'] === 'string') return req.headers['x-csrf-token'];
      // A multipart form (an upload): its first field, read by peekMultipartToken.
      return (req as WithToken)[multipartToken];
    },
    getTokenFromState,
    storeTokenInState,
    // A bearer token is not sent by browsers on their own, so token calls cannot be forged cross-site;
    // a call that also carries the session cookie a browser does send is checked like any other.
    skipCsrfProtection: (req) => req.user?.via === 'token' && !hasSessionCookie(req.headers),
    size: TOKEN_BYTES,
    errorConfig: { statusCode: 403, message: 'invalid csrf token', code: 'EBADCSRFTOKEN' },
  });
  const protect: RequestHandler = (req, res, next) =>
    csrfSynchronisedProtection(req, res, (err?: unknown) => {
      req.csrfToken = csrfToken(req);
      next(err);
    });
  return (req, res, next) => {
    // Only a request that is checked at all has its body looked at (a token call's is left alone).
    if (req.method !== 'POST' || !req.is('multipart/form-data') || (req.user?.via === 'token' && !hasSessionCookie(req.headers))) return protect(req, res, next);
    peekMultipartToken(req, res, (err?: unknown) => (err ? next(err) : protect(req, res, next)));
  };
}
