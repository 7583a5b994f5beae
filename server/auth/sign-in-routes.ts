// Signing in with e-mail and password (counted by the limiter) and signing out.
import type { Request, Response } from 'express';
import { z } from 'zod';
import { Unauthenticated } from '../errors.js';
import { renderFormError } from '../http/forms.js';
import { route, type RouteDef } from '../http/route-table.js';
import { email, parseInput } from '../http/validate.js';
import { recordSignIn } from '../users/service.js';
import type { CurrentUser } from './current-user.js';
import { anyone } from './guards.js';
import type { SignInLimiter } from './limiter.js';
import { signInPage } from './pages.js';
import type { Authenticator } from './passport.js';
import { login, safeNext } from './route-helpers.js';

const signInInput = z.strictObject({ email, password: z.string().min(1, 'validation.required').max(256, 'validation.tooLong'), next: z.string().max(2000).optional() });

export function signInRoutes(deps: { passport: Authenticator; limiter: SignInLimiter }): RouteDef[] {
  const authenticate = (req: Request, res: Response) =>
    new Promise<{ user: CurrentUser } | { refused: 'badCredentials' | 'deactivated' }>((resolve, reject) => {
      deps.passport.authenticate('local', { session: false }, (err: unknown, user: CurrentUser | false, info?: { message?: string }) =>
        err ? reject(err) : resolve(user ? { user } : { refused: info?.message === 'deactivated' ? 'deactivated' : 'badCredentials' }),
      )(req, res, reject);
    });

  return [
    route('get', '/sign-in', anyone, (req, res) => {
      if (req.user) return res.redirect(303, '/');
      res.render('auth/sign-in', signInPage(req.query.setup === 'done', safeNext(req.query.next)));
    }),

    route('post', '/sign-in', anyone, async (req, res) => {
      let input;
      try {
        input = parseInput(signInInput, req.body);
      } catch (err) {
        return renderFormError(res, 'auth/sign-in', err, { email: typeof req.body?.email === 'string' ? req.body.email : '' }, { title: 'auth.signIn' });
      }
      const address = req.ip ?? 'unknown';
      await deps.limiter.attempt(input.email, address);
      const outcome = await authenticate(req, res);
      if ('refused' in outcome) {
        return renderFormError(res, 'auth/sign-in', new Unauthenticated(`auth.${outcome.refused}`), { email: input.email, next: input.next }, { title: 'auth.signIn' });
      }
      const { user } = outcome;
      await deps.limiter.succeeded(input.email, address);
      await login(req, user);
      await recordSignIn(user.id, req.now);
      res.redirect(303, safeNext(input.next));
    }),

    route('post', '/sign-out', anyone, async (req, res) => {
      await new Promise<void>((resolve, reject) => req.logout((err) => (err ? reject(err) : resolve())));
      // Signed-in pages are never stored (http/caching.ts); the browser is also told to drop what it holds
      // of the site, its back-forward cache included, so that Back after signing out shows no signed-in page.
      res.set('Clear-Site-Data', '"cache"');
      res.redirect(303, '/');
    }),
  ];
}
