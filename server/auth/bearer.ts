import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { InvalidToken } from '../errors.js';
import type { Authenticator } from './passport.js';

/**
 * A personal API token in `Authorization: Bearer …` signs its owner in for this one request, on every
 * route: whatever the owner's session may do, the token may do (pages, exports, draft PDFs, forms).
 * A header that does not carry a valid token is refused with 401 and `WWW-Authenticate: Bearer
 * error="invalid_token"` (RFC 6750 §3.1) rather than falling back to an anonymous request.
 */
export function bearerTokens(passport: Authenticator): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.headers.authorization) return next();
    passport.authenticate('bearer', { session: false }, (err: unknown, user: Express.User | false) => {
      if (err) return next(err);
      if (!user) return next(new InvalidToken('auth.badToken'));
      req.user = user;
      next();
    })(req, res, next);
  };
}
