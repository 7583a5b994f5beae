import { z } from 'zod';
import { anySignedIn, role } from '../auth/index.js';
import { renderFormError } from '../http/forms.js';
import { route, type RouteDef } from '../http/route-table.js';
import { checkbox, optionalText, parseInput, text } from '../http/validate.js';
import { listUsersOfDelegation } from '../users/service.js';
import { createDelegation, findDelegation, listDelegations, updateDelegation } from './service.js';

const createInput = z.strictObject({ code: z.string().trim().toUpperCase().regex(/^[A-Z]{2,3}$/, 'delegations.codeFormat'), nameRu: text(200), nameEn: text(200) });
const updateInput = z.strictObject({ nameRu: text(200), nameEn: text(200), bodyRu: optionalText(300), bodyEn: optionalText(300), active: checkbox });

export function delegationRoutes(): RouteDef[] {
  const admin = role('administrator');
  return [
    route('get', '/admin/delegations', admin, async (_req, res) => {
      res.render('delegations/index', { title: 'delegations.title', delegations: await listDelegations() });
    }),
    route('post', '/admin/delegations', admin, async (req, res) => {
      try {
        await createDelegation(parseInput(createInput, req.body));
        res.redirect(303, '/admin/delegations');
      } catch (err) {
        renderFormError(res, 'delegations/index', err, req.body, { title: 'delegations.title', delegations: await listDelegations() });
      }
    }),
    route('get', '/admin/delegations/:id', admin, async (req, res) => {
      const d = await findDelegation(String(req.params.id));
      res.render('delegations/edit', { title: 'delegations.editTitle', delegation: d, values: { nameRu: d.name.ru, nameEn: d.name.en, bodyRu: d.standardsBody?.ru, bodyEn: d.standardsBody?.en, active: d.active }, members: await listUsersOfDelegation(String(d._id)) });
    }),
    route('post', '/admin/delegations/:id', admin, async (req, res) => {
      const d = await findDelegation(String(req.params.id));
      try {
        await updateDelegation(String(d._id), parseInput(updateInput, req.body));
        res.redirect(303, '/admin/delegations');
      } catch (err) {
        renderFormError(res, 'delegations/edit', err, req.body, { title: 'delegations.editTitle', delegation: d, members: await listUsersOfDelegation(String(d._id)) });
      }
    }),
    route('get', '/api/delegations', anySignedIn, async (_req, res) => {
      const list = await listDelegations();
      res.json({ delegations: list.map((d) => ({ code: d.code, name: d.name, active: d.active })) });
    }),
  ];
}
