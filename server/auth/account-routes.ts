// The signed-in person's account: the account page, a new password, personal API tokens, and the JSON
// answers to who the caller is and which tokens they have.
import { z } from 'zod';
import { renderFormError } from '../http/forms.js';
import { route, type RouteDef } from '../http/route-table.js';
import { parseInput, text } from '../http/validate.js';
import { changePassword } from '../users/service.js';
import { anySignedIn } from './guards.js';
import { accountPage } from './pages.js';
import { login, samePasswords } from './route-helpers.js';
import { createApiToken, listApiTokens, revokeApiToken } from './service.js';

const changePasswordInput = z.strictObject({ current: z.string().max(256), password: z.string().max(256), confirm: z.string().max(256) });
const tokenInput = z.strictObject({ name: text(100) });

export function accountRoutes(): RouteDef[] {
  return [
    route('get', '/account', anySignedIn, async (req, res) => {
      res.render('account/show', { ...(await accountPage(req.user!)), notice: req.query.notices === 'saved' ? 'account.notificationsSaved' : undefined });
    }),

    route('post', '/account/password', anySignedIn, async (req, res) => {
      try {
        const input = parseInput(changePasswordInput, req.body);
        samePasswords(input);
        const changed = await changePassword(req.user!.id, input.current, input.password, req.now);
        await login(req, { ...req.user!, sessionVersion: changed.user.sessionVersion });
        res.render('account/show', { ...(await accountPage(req.user!)), notice: 'account.passwordChanged', tokensRevoked: changed.tokensRevoked });
      } catch (err) {
        renderFormError(res, 'account/show', err, {}, await accountPage(req.user!));
      }
    }),

    route('post', '/account/tokens', anySignedIn, async (req, res) => {
      try {
        const input = parseInput(tokenInput, req.body);
        const created = await createApiToken(req.user!.id, input.name);
        res.status(201).render('account/show', { ...(await accountPage(req.user!)), newToken: created.secret });
      } catch (err) {
        renderFormError(res, 'account/show', err, req.body, await accountPage(req.user!));
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
