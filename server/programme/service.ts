// The committee's work programme (docs/programme.md): the plan of every document against its target days,
// and the documents late on a stage, for the plan page, its XLSX export, the secretariat's dashboard and
// the weekly e-mail. The targets themselves are the documents feature's (server/documents/targets.ts).
import { committeeSettings } from '../committee/index.js';
import { documentsInProgramme, listProductGroups, planDocuments, programmeOf, PROGRAMME_STAGES, type PlanDocument, type PlanFilter, type ProgrammeStage, type StageProgress } from '../documents/index.js';
import { InvalidInput } from '../errors.js';
import { translate, type Locale } from '../i18n/index.js';
import { DOCUMENT_STATES, isDocumentState } from '../lifecycle/table.js';
import { dayOf, type Day } from '../time/days.js';

export { PROGRAMME_STAGES, type ProgrammeStage };

export interface PlanRow {
  id: string;
  title: string;
  designation?: string | null;
  productGroup: string;
  productGroupNames: { ru: string; en: string };
  state: PlanDocument['state'];
  stage: string;
  stages: StageProgress[];
  late: ProgrammeStage[];
  computed: boolean;
}

const titleOf = (d: PlanDocument, locale: Locale) => d.titles[locale] || d.titles.ru;

/** The filter of the plan from the query: a known product group and a state, each optional; anything else is refused. */
export async function planFilterOf(query: Record<string, unknown>): Promise<PlanFilter> {
  const text = (v: unknown) => (typeof v === 'string' ? v.trim() : undefined);
  const productGroup = text(query.productGroup) || undefined;
  const state = text(query.state) || undefined;
  const errors: Record<string, string> = {};
  if (productGroup && !(await listProductGroups()).some((g) => g.code === productGroup)) errors.productGroup = 'programme.unknownProductGroup';
  if (state && !isDocumentState(state)) errors.state = 'programme.unknownState';
  if (Object.keys(errors).length) throw new InvalidInput('programme.badFilter', {}, errors);
  return { productGroup, state: state as PlanFilter['state'] };
}

/** The plan: each document of the filter with its target and actual day per stage, the late ones first, then by target of publication. */
export async function plan(filter: PlanFilter, now: Date, locale: Locale): Promise<PlanRow[]> {
  const [docs, settings, groups] = await Promise.all([planDocuments(filter), committeeSettings(), listProductGroups()]);
  const today = dayOf(now);
  const names = new Map(groups.map((g) => [g.code, g.name]));
  const rows = docs.map((d): PlanRow => {
    const p = programmeOf(d, settings, today);
    return { id: String(d._id), title: titleOf(d, locale), designation: d.designation, productGroup: d.productGroup, productGroupNames: names.get(d.productGroup) ?? { ru: d.productGroup, en: d.productGroup }, state: d.state, stage: d.stage, stages: p.stages, late: p.late, computed: p.computed };
  });
  const publication = (r: PlanRow) => r.stages.find((s) => s.stage === 'publication')!.target;
  return rows.sort((a, b) => Number(b.late.length > 0) - Number(a.late.length > 0) || (publication(a) < publication(b) ? -1 : publication(a) > publication(b) ? 1 : 0));
}

export interface LateDocument {
  id: string;
  title: string;
  /** The late stages with their target days, the earliest first. */
  stages: { stage: ProgrammeStage; target: Day }[];
}

/** The documents late on a stage today (docs/programme.md), the longest overdue first. */
export async function lateDocuments(now: Date, locale: Locale): Promise<LateDocument[]> {
  const [docs, settings] = await Promise.all([documentsInProgramme(), committeeSettings()]);
  const today = dayOf(now);
  const late: LateDocument[] = [];
  for (const d of docs) {
    const p = programmeOf(d, settings, today);
    if (p.late.length) late.push({ id: String(d._id), title: titleOf(d, locale), stages: p.stages.filter((s) => s.late).map((s) => ({ stage: s.stage, target: s.target })) });
  }
  return late.sort((a, b) => (a.stages[0]!.target < b.stages[0]!.target ? -1 : a.stages[0]!.target > b.stages[0]!.target ? 1 : 0));
}

/** «рассылка на отзывы (срок 01.02.2027), окончание отзывов (срок 02.04.2027)»: a late document's stages in words. */
export function lateStagesText(d: LateDocument, locale: Locale): string {
  return d.stages.map((s) => translate(locale, 'programme.lateStage', { stage: translate(locale, `programme.stageLower.${s.stage}`), target: { day: s.target } })).join(', ');
}

/** The states a plan may be filtered by, in the lifecycle's order. */
export const planStates = DOCUMENT_STATES;
