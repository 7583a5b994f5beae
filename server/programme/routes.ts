// The plan page and its XLSX export (docs/programme.md), for the committee's roles. The filter is a GET form:
// it works without JavaScript, and the export takes the same query.
import type { Request, Response } from 'express';
import { role } from '../auth/index.js';
import { listProductGroups } from '../documents/index.js';
import { AppError } from '../errors.js';
import { sendAsAttachment } from '../http/attachment.js';
import { route, type RouteDef } from '../http/route-table.js';
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

export function programmeRoutes(): RouteDef[] {
  const committee = role('administrator', 'secretariat', 'head', 'member');
  return [
    route('get', '/plan', committee, async (req, res) => {
      res.render('programme/plan', await planPage(req, res));
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
