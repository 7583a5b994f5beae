import type { Request, Response } from 'express';
import { z } from 'zod';
import { InvalidInput, Unauthenticated } from '../errors.js';
import { renderFormError } from '../http/forms.js';
import { route, type RouteDef } from '../http/route-table.js';
import { email, parseInput, text } from '../http/validate.js';
import { isLocale } from '../i18n/index.js';
import type { Mailer } from '../mail/mailer.js';
import { changePassword, recordSignIn, setLocale } from '../users/service.js';
import type { MailContext } from '../mail/context.js';
import { anySignedIn, anyone } from './guards.js';
import type { CurrentUser } from './current-user.js';
import type { SignInLimiter } from './limiter.js';
import type { Authenticator } from './passport.js';
import {
  accountOverview,
  createApiToken,
  listApiTokens,
  personOfLink,
  personOfUsableLink,
  requestPasswordReset,
  revokeApiToken,
  setPasswordByLink,
} from './service.js';

const signInInput = z.strictObject({ email, password: z.string().min(1, 'validation.required').max(256, 'validation.tooLong'), next: z.string().max(2000).optional() });
const forgotInput = z.strictObject({ email });
const newPasswordInput = z.strictObject({ password: z.string().max(256, 'validation.tooLong'), confirm: z.string().max(256) });
const changePasswordInput = z.strictObject({ current: z.string().max(256), password: z.string().max(256), confirm: z.string().max(256) });
const tokenInput = z.strictObject({ name: text(100) });

/** The sign-in page's own model. */
export function signInPage(setupDone: boolean, next: string): Record<string, unknown> {
  return { title: 'auth.signIn', setupDone, values: { next } };
}

/** The account page's own model: the person's tokens and notice settings. */
export async function accountPage(userId: string): Promise<Record<string, unknown>> {
  return { title: 'account.title', ...(await accountOverview(userId)) };
}

/** Only a path on this site may be the place to return to after signing in. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[^\s]*$/.test(next) ? next : '/';
}

function login(req: Request, user: CurrentUser): Promise<void> {
  // passport regenerates the session on login, so a session id known before sign-in is worthless after.
  return new Promise((resolve, reject) => req.login(user, (err) => (err ? reject(err) : resolve())));
}

function samePasswords(p: { password: string; confirm: string }): void {
  if (p.password !== p.confirm) throw new InvalidInput('password.mismatch', {}, { confirm: 'password.mismatch' });
}

export interface AuthDeps {
  passport: Authenticator;
  limiter: SignInLimiter;
  mailer: Mailer;
  publicUrl: string;
}

export function authRoutes(deps: AuthDeps): RouteDef[] {
  const mail = (res: Response): MailContext => ({ mailer: deps.mailer, publicUrl: deps.publicUrl, locale: res.locals.locale, now: res.req.now });

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
      res.redirect(303, '/');
    }),

    route('get', '/password/forgot', anyone, (_req, res) => res.render('auth/forgot', { title: 'auth.forgotTitle' })),

    route('post', '/password/forgot', anyone, async (req, res) => {
      let input;
      try {
        input = parseInput(forgotInput, req.body);
      } catch (err) {
        return renderFormError(res, 'auth/forgot', err, req.body, { title: 'auth.forgotTitle' });
      }
      // The answer is the same whether or not the address has an account, so it tells nobody who has one.
      await requestPasswordReset(mail(res), input.email);
      res.render('auth/forgot-sent', { title: 'auth.forgotTitle', email: input.email });
    }),

    ...(['reset', 'invitation'] as const).flatMap((kind) => {
      const path = kind === 'reset' ? '/password/reset/:token' : '/invitations/:token';
      const view = kind === 'reset' ? 'auth/reset' : 'auth/invitation';
      const title = kind === 'reset' ? 'auth.resetTitle' : 'auth.invitationTitle';
      return [
        route('get', path, anyone, async (req, res) => {
          try {
            const u = await personOfLink(kind, String(req.params.token), req.now);
            res.render(view, { title, person: { name: u.name, email: u.email } });
          } catch (err) {
            if (!(err instanceof InvalidInput)) throw err;
            res.status(410).render('auth/link-invalid', { title, reason: err.messageKey });
          }
        }),
        route('post', path, anyone, async (req, res) => {
          const token = String(req.params.token);
          try {
            // A dead link is said so first: asking to correct the fields of a form that cannot succeed helps nobody.
            const user = await personOfLink(kind, token, req.now);
            const input = parseInput(newPasswordInput, req.body);
            samePasswords(input);
            const { tokensRevoked } = await setPasswordByLink(kind, token, user, input.password, req.now);
            res.render('auth/password-set', { title, email: user.email, tokensRevoked });
          } catch (err) {
            if (!(err instanceof InvalidInput)) throw err;
            if (err.messageKey.startsWith('links.')) return res.status(410).render('auth/link-invalid', { title, reason: err.messageKey });
            const u = await personOfUsableLink(kind, token, req.now);
            renderFormError(res, view, err, {}, { title, person: u && { name: u.name, email: u.email } });
          }
        }),
      ];
    }),

    route('get', '/locale/:lang', anyone, async (req, res) => {
      const lang = req.params.lang;
      if (!isLocale(lang)) throw new InvalidInput('errors.unknownLocale');
      res.cookie('lang', lang, { maxAge: 365 * 86400_000, httpOnly: true, sameSite: 'lax' });
      if (req.user) await setLocale(req.user.id, lang);
      const back = pathOfReferer(req.get('referer'));
      res.redirect(303, safeNext(typeof req.query.next === 'string' ? req.query.next : back));
    }),

    route('get', '/account', anySignedIn, async (req, res) => {
      res.render('account/show', { ...(await accountPage(req.user!.id)), notice: req.query.notices === 'saved' ? 'account.notificationsSaved' : undefined });
    }),

    route('post', '/account/password', anySignedIn, async (req, res) => {
      try {
        const input = parseInput(changePasswordInput, req.body);
        samePasswords(input);
        const changed = await changePassword(req.user!.id, input.current, input.password, req.now);
        await login(req, { ...req.user!, sessionVersion: changed.user.sessionVersion });
        res.render('account/show', { ...(await accountPage(req.user!.id)), notice: 'account.passwordChanged', tokensRevoked: changed.tokensRevoked });
      } catch (err) {
        renderFormError(res, 'account/show', err, {}, await accountPage(req.user!.id));
      }
    }),

    route('post', '/account/tokens', anySignedIn, async (req, res) => {
      try {
        const input = parseInput(tokenInput, req.body);
        const created = await createApiToken(req.user!.id, input.name);
        res.status(201).render('account/show', { ...(await accountPage(req.user!.id)), newToken: created.secret });
      } catch (err) {
        renderFormError(res, 'account/show', err, req.body, await accountPage(req.user!.id));
      }
    }),

    route('post', '/account/tokens/:id/revoke', anySignedIn, async (req, res) => {
      await revokeApiToken(req.user!.id, String(req.params.id), req.now);
      res.redirect(303, '/account');
    }),

    route('get', '/api/me', anySignedIn, (req, res) => {
      const u = req.user!;
      res.json({ id: u.id, name: u.name, email: u.email, role: u.role, delegation: u.delegationCode });
    }),

    route('get', '/api/tokens', anySignedIn, async (req, res) => {
      res.json({ tokens: await listApiTokens(req.user!.id) });
    }),
  ];
}

/** The path of the page a person came from; a Referer that is no URL counts as none. */
function pathOfReferer(referer: string | undefined): string {
  if (!referer) return '/';
  try {
    return new URL(referer, 'http://x').pathname;
  } catch {
    return '/';
  }
}
