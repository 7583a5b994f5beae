// A forgotten password: the request for a reset link, and the pages of the one-time links that set a
// password (a reset link, or an invitation to a new account).
import type { Response } from 'express';
import { z } from 'zod';
import { InvalidInput } from '../errors.js';
import { renderFormError } from '../http/forms.js';
import { route, type RouteDef } from '../http/route-table.js';
import { email, parseInput } from '../http/validate.js';
import type { MailContext } from '../mail/context.js';
import type { Mailer } from '../mail/mailer.js';
import { anyone } from './guards.js';
import { samePasswords } from './route-helpers.js';
import { personOfLink, personOfUsableLink, requestPasswordReset, setPasswordByLink, type LinkKind } from './service.js';

const forgotInput = z.strictObject({ email });
const newPasswordInput = z.strictObject({ password: z.string().max(256, 'validation.tooLong'), confirm: z.string().max(256) });

export function passwordRoutes(deps: { mailer: Mailer; publicUrl: string }): RouteDef[] {
  const mail = (res: Response): MailContext => ({ mailer: deps.mailer, publicUrl: deps.publicUrl, locale: res.locals.locale, now: res.req.now });

  return [
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

    ...(['reset', 'invitation'] as const).flatMap(linkRoutes),
  ];
}

/** The page of a one-time link and the form on it that sets the password; a dead link answers 410. */
function linkRoutes(kind: LinkKind): RouteDef[] {
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
}
