// The auth feature's pages, grouped by use: signing in and out, a forgotten password and the one-time
// links, the interface language, the account.
import type { RouteDef } from '../http/route-table.js';
import type { Mailer } from '../mail/mailer.js';
import { accountRoutes } from './account-routes.js';
import type { SignInLimiter } from './limiter.js';
import { localeRoutes } from './locale-routes.js';
import type { Authenticator } from './passport.js';
import { passwordRoutes } from './password-routes.js';
import { signInRoutes } from './sign-in-routes.js';

export { accountPage, signInPage } from './pages.js';

export interface AuthDeps {
  passport: Authenticator;
  limiter: SignInLimiter;
  mailer: Mailer;
  publicUrl: string;
}

export function authRoutes(deps: AuthDeps): RouteDef[] {
  return [...signInRoutes(deps), ...passwordRoutes(deps), ...localeRoutes(), ...accountRoutes()];
}
