// The plan page and its XLSX export (docs/programme.md), for the committee's roles. The filter is a GET form:
// it works without JavaScript, and the export takes the same query.
import type { Request, Response } from 'express';
import { role } from '../auth/index.js';
import { listProductGroups } from '../documents/index.js';
import { AppError } from '../errors.js';
import { sendAsAttachment } from '../http/attachment.js';
import { type ApiOperation } from '../http/openapi.js';
import { route, type RouteDef } from '../http/route-table.js';
import { parseInput } from '../http/validate.js';
import { z } from 'zod';
import { DOCUMENT_STATES } from '../lifecycle/table.js';
import { translate, type Locale } from '../i18n/index.js';
import { dayOf } from '../time/days.js';
import { formatDay } from '../time/format.js';
import { plan, planFilterOf, planStates, type PlanRow } from './service.js';
import { timelineSvg } from './timeline-svg.js';
import { planXlsx } from './xlsx.js';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function rowView(r: PlanRow, locale: Locale) {
  return {
    ...r,
    productGroupName: r.productGroupNames[locale],
    stateLabel: translate(locale, `workflow.state.${r.state}`),
    stages: r.stages.map((s) => ({ ...s, targetText: formatDay(s.target, locale), actualText: s.actual ? formatDay(s.actual, locale) : undefined })),
  };
}

async function planPage(req: Request, res: Response) {
  const locale: Locale = res.locals.locale;
  const groups = await listProductGroups();
  const base = {
    title: 'programme.title',
    productGroups: groups.map((g) => ({ code: g.code, name: g.name[locale] })),
    states: planStates.map((s) => ({ code: s, label: translate(locale, `workflow.state.${s}`) })),
    stageHeaders: ['circulation', 'commentsEnd', 'ballot', 'publication'].map((s) => translate(locale, `programme.stage.${s}`)),
  };
  const raw = { productGroup: typeof req.query.productGroup === 'string' ? req.query.productGroup : '', state: typeof req.query.state === 'string' ? req.query.state : '' };
  try {
    const filter = await planFilterOf(req.query);
    const rows = await plan(filter, req.now, locale);
    const query = new URLSearchParams(Object.entries({ productGroup: filter.productGroup ?? '', state: filter.state ?? '' }).filter(([, v]) => v)).toString();
    return { ...base, values: raw, rows: rows.map((r) => rowView(r, locale)), late: rows.filter((r) => r.late.length).length, timeline: rows.length ? timelineSvg(rows, dayOf(req.now), locale) : undefined, exportHref: `/plan.xlsx${query ? `?${query}` : ''}` };
  } catch (err) {
    if (!(err instanceof AppError) || err.status !== 422) throw err;
    // A filter that names nothing known: the form again, with what was typed and what is wrong, and no rows.
    res.status(422);
    const errors = Object.fromEntries(Object.entries(err.details ?? {}).map(([f, k]) => [f, translate(locale, k)]));
    return { ...base, values: raw, rows: [], error: translate(locale, err.messageKey), errors, exportHref: '/plan.xlsx' };
  }
}

const planQuery = z.strictObject({ productGroup: z.string().max(100).optional(), state: z.enum(DOCUMENT_STATES).optional() });
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const planOut = z.object({
  documents: z.array(z.object({
    id: z.string(), title: z.string(), designation: z.string().nullable(), productGroup: z.string(), state: z.enum(DOCUMENT_STATES), stage: z.string(),
    late: z.array(z.enum(['circulation', 'commentsEnd', 'ballot', 'publication'])),
    targetsComputed: z.boolean(),
    stages: z.array(z.object({ stage: z.enum(['circulation', 'commentsEnd', 'ballot', 'publication']), target: day, actual: day.nullable(), reached: z.boolean(), late: z.boolean() })),
  })),
});

export const programmeApi: ApiOperation[] = [
  {
    id: 'getPlan', method: 'get', path: '/api/plan', tag: 'programme', query: planQuery, response: planOut, access: 'committee roles',
    summary: "The committee's work programme: each document's target and actual committee day per stage and the stages it is late on (docs/programme.md); of one product group and/or state when asked (an unknown product group has no documents)",
  },
];

export function programmeRoutes(): RouteDef[] {
  const committee = role('administrator', 'secretariat', 'head', 'member');
  return [
    route('get', '/plan', committee, async (req, res) => {
      res.render('programme/plan', await planPage(req, res));
    }),
    route('get', '/api/plan', committee, async (req, res) => {
      const q = parseInput(planQuery, req.query);
      const locale: Locale = res.locals.locale;
      const known = !q.productGroup || (await listProductGroups()).some((g) => g.code === q.productGroup);
      const rows = known ? await plan({ productGroup: q.productGroup, state: q.state }, req.now, locale) : [];
      res.json({
        documents: rows.map((r) => ({
          id: r.id, title: r.title, designation: r.designation ?? null, productGroup: r.productGroup, state: r.state, stage: r.stage, late: r.late, targetsComputed: r.computed,
          stages: r.stages.map((s) => ({ stage: s.stage, target: s.target, actual: s.actual ?? null, reached: s.reached, late: s.late })),
        })),
      });
    }),
    route('get', '/plan.xlsx', committee, async (req, res) => {
      const rows = await plan(await planFilterOf(req.query), req.now, 'ru');
      const bytes = await planXlsx(rows, translate('ru', 'programme.title'));
      sendAsAttachment(res, `plan-${dayOf(req.now)}.xlsx`, XLSX_TYPE);
      res.set('Cache-Control', 'private, no-store');
      res.send(bytes);
    }),
  ];
}
