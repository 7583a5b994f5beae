// What the auth routes share: where to go after signing in, starting the signed-in session, and the
// check that a new password was typed the same twice.
import type { Request } from 'express';
import { InvalidInput } from '../errors.js';
import type { CurrentUser } from './current-user.js';

/** Only a path on this site may be the place to return to after signing in. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[^\s]*$/.test(next) ? next : '/';
}

export function login(req: Request, user: CurrentUser): Promise<void> {
  // passport regenerates the session on login, so a session id known before sign-in is worthless after.
  return new Promise((resolve, reject) => req.login(user, (err) => (err ? reject(err) : resolve())));
}

export function samePasswords(p: { password: string; confirm: string }): void {
  if (p.password !== p.confirm) throw new InvalidInput('password.mismatch', {}, { confirm: 'password.mismatch' });
}
