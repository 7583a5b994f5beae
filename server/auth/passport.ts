import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { Passport } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { Strategy as BearerStrategy } from 'passport-http-bearer';
import { findForSession, verifyCredentials, type SessionUser } from '../users/service.js';
import { findApiToken, markApiTokenUsed } from './api-tokens.js';
import type { CurrentUser } from './current-user.js';

function toCurrentUser(u: SessionUser, via: CurrentUser['via']): CurrentUser {
  return {
    id: String(u._id),
    name: u.name,
    email: u.email,
    role: u.role,
    delegationId: u.delegation ? String(u.delegation) : null,
    delegationCode: u.delegationCode ?? null,
    sessionVersion: u.sessionVersion,
    via,
    noticesOff: u.unsubscribed ?? [],
  };
}

/**
 * What the session keeps of the person: enough for every page and guard, so that a signed-in request
 * reads the session and nothing else to know who is calling — nor, on the account page, which e-mail
 * notices they turned off (`off`). What ends access (deactivation, a new role or delegation, a new
 * password) deletes the person's sessions (server/auth/sessions.ts); a new name or new notice settings are
 * written into them (`refreshSessionsOf`). A session saved before the snapshot existed holds only id and
 * version and is checked against the account as before; one without `off` has its settings read.
 */
interface SessionPayload {
  id: string;
  v: number;
  name?: string;
  email?: string;
  role?: CurrentUser['role'];
  delegationId?: string | null;
  delegationCode?: string | null;
  off?: string[];
}

function fromSnapshot(p: SessionPayload): CurrentUser | null {
  if (!p.role || p.name === undefined || p.email === undefined) return null;
  const user: CurrentUser = { id: p.id, name: p.name, email: p.email, role: p.role, delegationId: p.delegationId ?? null, delegationCode: p.delegationCode ?? null, sessionVersion: p.v, via: 'session' };
  if (Array.isArray(p.off)) user.noticesOff = p.off;
  return user;
}

/** Passport with a form strategy (sessions) and a bearer strategy (API tokens). */
export type Authenticator = InstanceType<typeof Passport>;

export function createPassport(): Authenticator {
  const passport = new Passport();

  passport.use(
    new LocalStrategy({ usernameField: 'email', passwordField: 'password' }, (email, password, done) => {
      verifyCredentials(email, password).then(async (r) => {
        const loaded = 'user' in r ? await findForSession(String(r.user._id)) : null;
        if (loaded) return done(null, toCurrentUser(loaded, 'session'));
        done(null, false, { message: 'refused' in r ? r.refused : 'badCredentials' });
      }, done);
    }),
  );

  passport.use(
    new BearerStrategy({ passReqToCallback: true }, (req: Request, token: string, done: (err: unknown, user?: CurrentUser | false) => void) => {
      (async () => {
        const t = await findApiToken(token);
        if (!t) return false;
        const u = await findForSession(t.userId);
        if (!u) return false;
        // Only a call that is let through counts as a use of the token.
        await markApiTokenUsed(t.id, req.now);
        return toCurrentUser(u, 'token');
      })().then((u) => done(null, u), done);
    }),
  );

  passport.serializeUser<SessionPayload>((user, done) =>
    done(null, {
      id: user.id, v: user.sessionVersion, name: user.name, email: user.email, role: user.role, delegationId: user.delegationId, delegationCode: user.delegationCode,
      ...(user.noticesOff ? { off: [...user.noticesOff] } : {}),
    }),
  );

  passport.deserializeUser<SessionPayload>((payload, done) => {
    const snapshot = payload && fromSnapshot(payload);
    if (snapshot) return done(null, snapshot);
    personOfOlderSession(payload).then((u) => done(null, u ?? false), done);
  });

  return passport;
}

/** An older session: its person is looked up, and a deactivated one or one whose access changed is ended. */
async function personOfOlderSession(payload: SessionPayload | undefined): Promise<CurrentUser | null> {
  if (typeof payload?.id !== 'string') return null;
  const u = await findForSession(payload.id);
  return u && u.sessionVersion === payload.v ? toCurrentUser(u, 'session') : null;
}

/**
 * The person the session is signed in as, as req.user: what passport.session() does with the
 * deserializer above, without building passport's strategy machinery for every request. A session whose
 * person is no longer let in forgets them (and is thereby signed out).
 */
export function sessionUser(): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    const kept = (req.session as { passport?: { user?: SessionPayload } } | undefined)?.passport;
    const payload = kept?.user;
    if (!payload) return next();
    const snapshot = fromSnapshot(payload);
    if (snapshot) {
      req.user = snapshot;
      return next();
    }
    personOfOlderSession(payload).then((user) => {
      if (user) req.user = user;
      else delete kept.user;
      next();
    }, next);
  };
}
