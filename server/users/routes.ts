import type { Request, Response } from 'express';
import { z } from 'zod';
import { role } from '../auth/index.js';
import { InvalidInput, NotFound } from '../errors.js';
import { renderFormError } from '../http/forms.js';
import { route, type RouteDef } from '../http/route-table.js';
import { email, optionalText, parseInput, text } from '../http/validate.js';
import type { Mailer } from '../mail/mailer.js';
import { listDelegations } from '../delegations/service.js';
import { roles } from './model.js';
import {
  createFirstAdministrator,
  findUser,
  hasAnyUser,
  inviteUser,
  listUsers,
  resendInvitation,
  setUserActive,
  toPublicUser,
  updateUser,
} from './service.js';
import type { MailContext } from '../mail/context.js';

const setupInput = z.strictObject({ name: text(200), email, password: z.string().max(256, 'validation.tooLong'), confirm: z.string().max(256) });
const personInput = {
  name: text(200),
  role: z.enum(roles, 'validation.choice'),
  delegation: optionalText(3),
  organisation: optionalText(200),
};
const inviteInput = z.strictObject({ ...personInput, email });
const updateInput = z.strictObject(personInput);

export interface UserRouteDeps {
  mailer: Mailer;
  publicUrl: string;
}

export function userRoutes(deps: UserRouteDeps): RouteDef[] {
  return [...setupRoutes(), ...userAdminRoutes(deps)];
}

/** The first run: the set-up pages create the first administrator, and exist only while there are no users. */
function setupRoutes(): RouteDef[] {
  const setupOpen = async (_req: Request, _res: Response, next: (err?: unknown) => void) => {
    if (await hasAnyUser()) return next(new NotFound('errors.notFound'));
    next();
  };

  return [
    route('get', '/setup', [setupOpen], (_req, res) => res.render('setup/first-admin', { title: 'setup.title', layout: 'main' })),
    route('post', '/setup', [setupOpen], async (req, res) => {
      try {
        const input = parseInput(setupInput, req.body);
        if (input.password !== input.confirm) {
          throw new InvalidInput('password.mismatch', {}, { confirm: 'password.mismatch' });
        }
        await createFirstAdministrator(input);
        res.redirect(303, '/sign-in?setup=done');
      } catch (err) {
        renderFormError(res, 'setup/first-admin', err, req.body, { title: 'setup.title' });
      }
    }),
  ];
}

/** The administrator's list of accounts: invitations, changes, (de)activation. */
function userAdminRoutes(deps: UserRouteDeps): RouteDef[] {
  const mail = (res: Response): MailContext => ({ mailer: deps.mailer, publicUrl: deps.publicUrl, locale: res.locals.locale, now: res.req.now });
  const admin = role('administrator');
  const formExtras = async () => ({ roles, delegations: await listDelegations() });

  return [
    route('get', '/admin/users', admin, async (req, res) => {
      const invited = typeof req.query.invited === 'string' ? req.query.invited : undefined;
      res.render('users/index', { title: 'users.title', invited, users: await listUsers(), ...(await formExtras()) });
    }),
    route('post', '/admin/users', admin, async (req, res) => {
      try {
        const input = parseInput(inviteInput, req.body);
        const user = await inviteUser(mail(res), input);
        res.redirect(303, `/admin/users?invited=${encodeURIComponent(user.email)}`);
      } catch (err) {
        renderFormError(res, 'users/index', err, req.body, { title: 'users.title', users: await listUsers(), ...(await formExtras()) });
      }
    }),
    route('get', '/admin/users/:id', admin, async (req, res) => {
      const user = toPublicUser(await findUser(String(req.params.id)));
      const extras = await formExtras();
      const code = extras.delegations.find((d) => String(d._id) === user.delegation)?.code;
      res.render('users/edit', { title: 'users.editTitle', person: user, values: { ...user, delegation: code }, ...extras });
    }),
    route('post', '/admin/users/:id', admin, async (req, res) => {
      const user = toPublicUser(await findUser(String(req.params.id)));
      try {
        await updateUser(req.user!.id, user.id, parseInput(updateInput, req.body));
        res.redirect(303, `/admin/users?updated=${encodeURIComponent(user.email)}`);
      } catch (err) {
        renderFormError(res, 'users/edit', err, req.body, { title: 'users.editTitle', person: user, ...(await formExtras()) });
      }
    }),
    route('get', '/admin/users/:id/deactivate', admin, async (req, res) => {
      const person = toPublicUser(await findUser(String(req.params.id)));
      res.render('users/deactivate', { title: 'users.deactivateTitle', person, itIsYou: person.id === req.user!.id });
    }),
    route('post', '/admin/users/:id/deactivate', admin, async (req, res) => {
      await setUserActive(req.user!.id, String(req.params.id), false, req.now);
      res.redirect(303, '/admin/users');
    }),
    route('post', '/admin/users/:id/activate', admin, async (req, res) => {
      await setUserActive(req.user!.id, String(req.params.id), true, req.now);
      res.redirect(303, '/admin/users');
    }),
    route('post', '/admin/users/:id/invitation', admin, async (req, res) => {
      await resendInvitation(mail(res), String(req.params.id));
      res.redirect(303, '/admin/users');
    }),

    route('get', '/api/users', admin, async (_req, res) => {
      res.json({ users: await listUsers() });
    }),
  ];
}
