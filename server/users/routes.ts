import type { Request, Response } from 'express';
import { z } from 'zod';
import { role } from '../auth/index.js';
import { AppError, InvalidInput, NotFound } from '../errors.js';
import { renderFormError } from '../http/forms.js';
import { API_PAGE_SIZE, listHref, pagerOf } from '../http/paging.js';
import { route, type RouteDef } from '../http/route-table.js';
import { translate, type Locale } from '../i18n/index.js';
import { email, optionalText, parseInput, text } from '../http/validate.js';
import type { Mailer } from '../mail/mailer.js';
import { listDelegations } from '../delegations/service.js';
import { roles } from './model.js';
import { apiPeopleQuery, filterParams, listPeople, peopleFilterOf, PEOPLE_PAGE_SIZE, userStatuses, type PeopleFilter } from './list.js';
import {
  createFirstAdministrator,
  findUser,
  hasAnyUser,
  inviteUser,
  resendInvitation,
  setUserActive,
  toPublicUser,
  updateUser,
} from './service.js';
import type { MailContext } from '../mail/context.js';

type DelegationRecord = Awaited<ReturnType<typeof listDelegations>>[number];

const setupInput = z.strictObject({ name: text(200), email, password: z.string().max(256, 'validation.tooLong'), confirm: z.string().max(256) });
const personInput = {
  name: text(200),
  role: z.enum(roles, 'validation.choice'),
  delegation: optionalText(3),
  organisation: optionalText(200),
};
const inviteInput = z.strictObject({ ...personInput, email });
const updateInput = z.strictObject(personInput);

export { apiPeopleQuery };

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

/** Where a row's action returns to: the list as it was shown (its filters and page), or its first page. */
function listBack(value: unknown): string {
  return typeof value === 'string' && /^\/admin\/users(\?[^#\s<>"]*)?$/.test(value) && value.length <= 400 ? value : '/admin/users';
}

/**
 * The list of people as the page shows it: one page of the filter's rows, each with its delegation's code,
 * where the page stands among the others (links keep the filter), and the filter's choices.
 */
async function peoplePage(filter: PeopleFilter, page: number, delegations: DelegationRecord[]) {
  const ids = new Map(delegations.map((d) => [d.code, d._id]));
  const codes = new Map(delegations.map((d) => [String(d._id), d.code]));
  const { users, slice } = await listPeople(filter, page, PEOPLE_PAGE_SIZE, (code) => ids.get(code));
  const params = filterParams(filter);
  const back = listHref('/admin/users', params, slice.page);
  return {
    users: users.map((u) => ({ ...u, delegationCode: u.delegation ? codes.get(u.delegation) : undefined })),
    pager: pagerOf(slice, (n) => listHref('/admin/users', params, n)),
    filtered: Object.values(params).some(Boolean),
    back,
    // Only a list other than the first page of everybody needs saying where to return.
    backParam: back === '/admin/users' ? undefined : encodeURIComponent(back),
  };
}

/** The filter form's choices and values (as typed, so that a refused one is shown to be corrected). */
function filterForm(values: Record<string, unknown>, delegations: DelegationRecord[], locale: Locale) {
  const text = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : '');
  const v = { q: text('q'), delegation: text('delegation'), role: text('role'), status: text('status') };
  return {
    filter: v,
    filterDelegations: delegations.map((d) => ({ code: d.code, selected: d.code === v.delegation })),
    filterRoles: roles.map((r) => ({ value: r, label: translate(locale, `roles.${r}`), selected: r === v.role })),
    filterStatuses: userStatuses.map((s) => ({ value: s, label: translate(locale, `users.filter.status.${s}`), selected: s === v.status })),
  };
}

/** The administrator's list of accounts: invitations, changes, (de)activation. */
function userAdminRoutes(deps: UserRouteDeps): RouteDef[] {
  const mail = (res: Response): MailContext => ({ mailer: deps.mailer, publicUrl: deps.publicUrl, locale: res.locals.locale, now: res.req.now });
  const admin = role('administrator');
  const formExtras = async () => ({ roles, delegations: await listDelegations() });
  const listPage = async (res: Response, query: Record<string, unknown>) => {
    const extras = await formExtras();
    const form = filterForm(query, extras.delegations, res.locals.locale);
    try {
      const { filter, page } = peopleFilterOf(query, true);
      return { title: 'users.title', ...extras, ...form, ...(await peoplePage(filter, page, extras.delegations)) };
    } catch (err) {
      if (!(err instanceof AppError) || err.status !== 422) throw err;
      // A filter the list does not take: the form as typed with the reason at its field, and no rows (422).
      const locale: Locale = res.locals.locale;
      res.status(422);
      const filterErrors = Object.fromEntries(Object.entries(err.details ?? {}).map(([f, k]) => [f, translate(locale, k, err.params)]));
      return { title: 'users.title', ...extras, ...form, users: [], filterRefused: true, filterErrors, back: '/admin/users' };
    }
  };

  return [
    route('get', '/admin/users', admin, async (req, res) => {
      const invited = typeof req.query.invited === 'string' ? req.query.invited : undefined;
      res.render('users/index', { invited, ...(await listPage(res, req.query as Record<string, unknown>)) });
    }),
    route('post', '/admin/users', admin, async (req, res) => {
      try {
        const input = parseInput(inviteInput, req.body);
        const user = await inviteUser(mail(res), input);
        res.redirect(303, `/admin/users?invited=${encodeURIComponent(user.email)}`);
      } catch (err) {
        renderFormError(res, 'users/index', err, req.body, await listPage(res, {}));
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
      res.render('users/deactivate', { title: 'users.deactivateTitle', person, itIsYou: person.id === req.user!.id, back: listBack(req.query.back) });
    }),
    // Each row's action returns to the list as it was shown (`back`: its filters and page).
    route('post', '/admin/users/:id/deactivate', admin, async (req, res) => {
      await setUserActive(req.user!.id, String(req.params.id), false, req.now);
      res.redirect(303, listBack(req.body?.back));
    }),
    route('post', '/admin/users/:id/activate', admin, async (req, res) => {
      await setUserActive(req.user!.id, String(req.params.id), true, req.now);
      res.redirect(303, listBack(req.body?.back));
    }),
    route('post', '/admin/users/:id/invitation', admin, async (req, res) => {
      await resendInvitation(mail(res), String(req.params.id));
      res.redirect(303, listBack(req.body?.back));
    }),

    route('get', '/api/users', admin, async (req, res) => {
      const { filter, page, pageSize } = peopleFilterOf(req.query as Record<string, unknown>, false);
      const ids = new Map((await listDelegations()).map((d) => [d.code, d._id]));
      const { users, slice } = await listPeople(filter, page, pageSize ?? API_PAGE_SIZE, (code) => ids.get(code));
      res.json({ users, page: slice.page, pageSize: slice.pageSize, total: slice.total, pages: slice.pages });
    }),
  ];
}
