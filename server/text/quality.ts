// The quality check of a revision before it is circulated, balloted or published (docs/quality.md): what
// a template leaves to fill in, what is empty, what has no test method. Each finding names its clause; how
// much it weighs depends on the step (a placeholder may go out for comments, never into a ballot).
import type { Clause } from './clause-model.js';

export const qualityCodes = ['placeholder', 'emptySection', 'emptyAnnex', 'emptyTable', 'emptyTerms', 'emptyBibliography', 'noTestMethod'] as const;
export type QualityCode = (typeof qualityCodes)[number];

/** The step a check is made for. */
export type QualityStep = 'circulate' | 'openBallot' | 'publish';
export type Severity = 'error' | 'warning';

export interface QualityFinding {
  key: string;
  code: QualityCode;
  /** The words left to fill in, as they stand in the text («по группе …»). */
  excerpt?: string;
}

/**
 * An error refuses the step; a warning is accepted explicitly by the person who takes it. A draft goes out
 * for comments unfinished if the secretariat says so; what is balloted and published must be finished.
 */
const FINISHED: Record<QualityStep, Severity> = { circulate: 'warning', openBallot: 'error', publish: 'error' };
const WEIGHT: Record<QualityCode, Record<QualityStep, Severity>> = {
  placeholder: FINISHED,
  emptySection: FINISHED,
  emptyAnnex: FINISHED,
  emptyTable: FINISHED,
  emptyTerms: FINISHED,
  emptyBibliography: FINISHED,
  // Some requirements are checked by inspection and name no method: always the person's call.
  noTestMethod: { circulate: 'warning', openBallot: 'warning', publish: 'warning' },
};

export const severityOf = (code: QualityCode, step: QualityStep): Severity => WEIGHT[code][step];

// An ellipsis (… or three dots) is what the templates leave where the drafter names a product, a group,
// a period: «распространяется на …», «по группе … ГОСТ 15150», «… мес».
const PLACEHOLDER = /(?:\S+\s)?(?:…|\.\.\.)(?:\s\S+)?/u;

// «СТ СГ …» is the standard's own designation, given only at publication: a draft cannot know it.
const OWN_DESIGNATION = /(?:СТ СГ|ST SG)\s*$/u;

/** The first blank left in a text, with a word either side, if any. */
function blankIn(text: string): string | undefined {
  for (const m of text.matchAll(new RegExp(PLACEHOLDER.source, 'gu'))) {
    const at = m.index + m[0].search(/…|\.\.\./u);
    if (!OWN_DESIGNATION.test(text.slice(0, at))) return m[0].trim();
  }
  return undefined;
}

/** The texts of a clause a reader sees (what the PDF prints), each one to look for placeholders in. */
function textsOf(c: Clause): string[] {
  return [c.heading, c.body, c.requirement?.parameter, c.requirement?.value, c.table?.caption, ...(c.table?.header ?? []), ...(c.table?.rows.flat() ?? []), c.term?.ru, c.term?.definition, c.reference?.designation, c.reference?.title].filter(
    (t): t is string => typeof t === 'string' && t !== '',
  );
}

/** The clauses under clause i (deeper, until the next one at its depth or above). */
function childrenOf(clauses: readonly Clause[], i: number): Clause[] {
  const depth = clauses[i]!.depth;
  const out: Clause[] = [];
  for (let j = i + 1; j < clauses.length && clauses[j]!.depth > depth; j++) out.push(clauses[j]!);
  return out;
}

const blank = (s: string | undefined) => !s || s.trim() === '';
const isTermsSection = (c: Clause) => c.kind === 'section' && /^(термины|terms)/iu.test(c.heading?.trim() ?? '');
const isBibliographySection = (c: Clause) => c.kind === 'section' && /^(библиография|bibliography)/iu.test(c.heading?.trim() ?? '');

function emptiness(clauses: readonly Clause[], i: number): QualityCode | undefined {
  const c = clauses[i]!;
  if (c.kind === 'table') return c.table && c.table.rows.length > 0 && c.table.rows.some((r) => r.some((cell) => !blank(cell))) ? undefined : 'emptyTable';
  if (c.kind !== 'section') return undefined;
  const under = childrenOf(clauses, i);
  if (isBibliographySection(c)) return under.some((u) => u.kind === 'bibliography' || u.kind === 'reference') ? undefined : 'emptyBibliography';
  if (isTermsSection(c)) return under.some((u) => u.kind === 'term') || (!blank(c.body) && !blankIn(c.body!)) ? undefined : 'emptyTerms';
  if (!blank(c.body) || under.length > 0) return undefined;
  return c.annex ? 'emptyAnnex' : 'emptySection';
}

/** Everything the check finds in a revision's clauses, in the order of the text. */
export function checkQuality(clauses: readonly Clause[]): QualityFinding[] {
  const out: QualityFinding[] = [];
  clauses.forEach((c, i) => {
    const left = textsOf(c)
      .map(blankIn)
      .find((m) => m !== undefined);
    if (left) out.push({ key: c.key, code: 'placeholder', excerpt: left });
    const empty = emptiness(clauses, i);
    if (empty) out.push({ key: c.key, code: empty });
    if (c.kind === 'requirement' && c.requirement && !c.requirement.methodKey) out.push({ key: c.key, code: 'noTestMethod' });
  });
  return out;
}
