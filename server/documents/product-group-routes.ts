import { z } from 'zod';
import { role } from '../auth/index.js';
import { renderFormError } from '../http/forms.js';
import { route, type RouteDef } from '../http/route-table.js';
import { checkbox, parseInput, text } from '../http/validate.js';
import { createProductGroup, findProductGroup, listProductGroups, updateProductGroup } from './product-groups.js';

const createInput = z.strictObject({ code: z.string().trim().toLowerCase().regex(/^[a-z0-9-]{2,40}$/, 'productGroups.codeFormat'), nameRu: text(200), nameEn: text(200) });
const updateInput = z.strictObject({ nameRu: text(200), nameEn: text(200), active: checkbox });

/** The committee's list of product groups, kept by the administrator and the secretariat. */
export function productGroupRoutes(): RouteDef[] {
  const keepers = role('administrator', 'secretariat');
  return [
    route('get', '/admin/product-groups', keepers, async (_req, res) => {
      res.render('product-groups/index', { title: 'productGroups.title', groups: await listProductGroups() });
    }),
    route('post', '/admin/product-groups', keepers, async (req, res) => {
      try {
        await createProductGroup(parseInput(createInput, req.body));
        res.redirect(303, '/admin/product-groups');
      } catch (err) {
        renderFormError(res, 'product-groups/index', err, req.body, { title: 'productGroups.title', groups: await listProductGroups() });
      }
    }),
    route('get', '/admin/product-groups/:id', keepers, async (req, res) => {
      const g = await findProductGroup(String(req.params.id));
      res.render('product-groups/edit', { title: 'productGroups.editTitle', group: g, values: { nameRu: g.name.ru, nameEn: g.name.en, active: g.active } });
    }),
    route('post', '/admin/product-groups/:id', keepers, async (req, res) => {
      const g = await findProductGroup(String(req.params.id));
      try {
        await updateProductGroup(String(g._id), parseInput(updateInput, req.body));
        res.redirect(303, '/admin/product-groups');
      } catch (err) {
        renderFormError(res, 'product-groups/edit', err, req.body, { title: 'productGroups.editTitle', group: g });
      }
    }),
  ];
}
