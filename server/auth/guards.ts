import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { Forbidden, Unauthenticated } from '../errors.js';
import { wantsJson } from '../http/request-context.js';
import type { Role } from '../users/index.js';

export const messages = {
  signInRequired: 'auth.signInRequired',
  forbidden: 'errors.forbidden',
} as const;

/** Anonymous callers of a page go to sign-in (and come back afterwards); API callers get 401. */
export const signedIn: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
  if (req.user) return next();
  if (wantsJson(req)) return next(new Unauthenticated(messages.signInRequired));
  const back = req.method === 'GET' ? `?next=${encodeURIComponent(req.originalUrl)}` : '';
  res.redirect(303, `/sign-in${back}`);
};

/** Signed in with one of these roles. */
export function role(...allowed: Role[]): RequestHandler[] {
  return [
    signedIn,
    (req, _res, next) => {
      if (!allowed.includes(req.user!.role)) return next(new Forbidden(messages.forbidden));
      next();
    },
  ];
}

export const anyone: RequestHandler[] = [];
export const anySignedIn: RequestHandler[] = [signedIn];
