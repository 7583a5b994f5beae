import type { Request } from 'express';
import { Passport } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { Strategy as BearerStrategy } from 'passport-http-bearer';
import { User, type UserRecord } from '../users/model.js';
import { verifyCredentials } from '../users/service.js';
import { ApiToken } from './links-model.js';
import { hashSecret } from './tokens.js';
import type { CurrentUser } from './current-user.js';

type LoadedUser = Pick<UserRecord, '_id' | 'email' | 'name' | 'role' | 'delegation' | 'delegationCode' | 'active' | 'sessionVersion'>;

const userFields = { email: 1, name: 1, role: 1, delegation: 1, delegationCode: 1, active: 1, sessionVersion: 1 } as const;

function toCurrentUser(u: LoadedUser, via: CurrentUser['via']): CurrentUser {
  return {
    id: String(u._id),
    name: u.name,
    email: u.email,
    role: u.role,
    delegationId: u.delegation ? String(u.delegation) : null,
    delegationCode: u.delegationCode ?? null,
    sessionVersion: u.sessionVersion,
    via,
  };
}

async function loadActiveUser(id: string): Promise<LoadedUser | null> {
  const u = await User.findById(id).select(userFields).lean<LoadedUser>();
  return u && u.active ? u : null;
}

interface SessionPayload {
  id: string;
  v: number;
}

/** Passport with a form strategy (sessions) and a bearer strategy (API tokens). */
export type Authenticator = InstanceType<typeof Passport>;

export function createPassport(): Authenticator {
  const passport = new Passport();

  passport.use(
    new LocalStrategy({ usernameField: 'email', passwordField: 'password' }, (email, password, done) => {
      verifyCredentials(email, password).then(async (r) => {
        const loaded = 'user' in r ? await loadActiveUser(String(r.user._id)) : null;
        if (loaded) return done(null, toCurrentUser(loaded, 'session'));
        done(null, false, { message: 'refused' in r ? r.refused : 'badCredentials' });
      }, done);
    }),
  );

  passport.use(
    new BearerStrategy({ passReqToCallback: true }, (req: Request, token: string, done: (err: unknown, user?: CurrentUser | false) => void) => {
      (async () => {
        const t = await ApiToken.findOne({ tokenHash: hashSecret(token), revokedAt: null }).select({ user: 1 }).lean<{ _id: unknown; user: unknown }>();
        if (!t) return false;
        const u = await loadActiveUser(String(t.user));
        if (!u) return false;
        // Only a call that is let through counts as a use of the token.
        await ApiToken.updateOne({ _id: t._id }, { $set: { lastUsedAt: req.now } });
        return toCurrentUser(u, 'token');
      })().then((u) => done(null, u), done);
    }),
  );

  passport.serializeUser<SessionPayload>((user, done) => done(null, { id: user.id, v: user.sessionVersion }));

  // A session whose person was deactivated or whose access changed since sign-in is ended here.
  passport.deserializeUser<SessionPayload>((payload, done) => {
    loadActiveUser(payload?.id).then(
      (u) => done(null, u && u.sessionVersion === payload.v ? toCurrentUser(u, 'session') : false),
      done,
    );
  });

  return passport;
}
