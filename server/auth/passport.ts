import type { Request } from 'express';
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
    // An older session: its person is looked up, and a deactivated one or one whose access changed is ended.
    findForSession(payload?.id).then(
      (u) => done(null, u && u.sessionVersion === payload.v ? toCurrentUser(u, 'session') : false),
      done,
    );
  });

  return passport;
}
