// The quality check of a document's current revision for its next step (docs/quality.md): the clause
// rules, the dangling references and unprintable characters, and what server/text/quality.ts finds
// unfinished, each weighed for the step and named with its clause and a link to it in the editor.
import { translate, type Locale } from '../i18n/index.js';
import { numberClauses } from '../text/numbering.js';
import { checkQuality, severityOf, type QualityFinding, type QualityStep, type Severity } from '../text/quality.js';
import type { DocumentRecord, RevisionRecord } from './model.js';
import { revisionProblems } from './editing.js';
import { delegationsWithoutBody } from '../delegations/service.js';

export interface CheckItem {
  /** The clause it concerns; empty for what is outside the text (the delegations' data). */
  key: string;
  severity: Severity;
  /** The message key and its parameters. */
  message: string;
  params?: Record<string, string | number>;
}

export interface QualityReport {
  step: QualityStep;
  errors: CheckItem[];
  warnings: CheckItem[];
}

/** The step a document in this state takes next, if it is one the check is made for. */
export function nextCheckedStep(state: DocumentRecord['state']): QualityStep | undefined {
  if (state === 'draft') return 'circulate';
  if (state === 'resolution') return 'openBallot';
  if (state === 'approved') return 'publish';
  return undefined;
}

export function stepOfMove(move: string): QualityStep | undefined {
  return move === 'circulate' || move === 'openBallot' || move === 'publish' ? move : undefined;
}

/** The findings of a revision's text (a few milliseconds for a long text: computed when asked). */
function findingsOf(rev: RevisionRecord, doc: DocumentRecord): { rules: CheckItem[]; quality: QualityFinding[] } {
  const { issues, dangling, unprintable } = revisionProblems(rev.clauses, doc);
  const rules: CheckItem[] = [
    ...issues.map((i) => ({ key: i.key, severity: 'error' as const, message: `clauses.issue.${i.code}` })),
    ...dangling.map((d) => ({ key: d.fromKey, severity: 'error' as const, message: 'clauses.issue.danglingReference' })),
    ...unprintable.map((u) => ({ key: u.place.clauseKey ?? '', severity: 'error' as const, message: 'clauses.issue.unprintable', params: { char: u.char, code: u.codePoint } })),
  ];
  return { rules, quality: checkQuality(rev.clauses) };
}

/** What a publication needs besides the text: a name for each delegation's national standards body, which the foreword prints. */
async function outsideTheText(step: QualityStep): Promise<CheckItem[]> {
  if (step !== 'publish') return [];
  const missing = await delegationsWithoutBody();
  return missing.length ? [{ key: '', severity: 'error', message: 'quality.nationalBodies', params: { codes: missing.map((d) => d.code).join(', ') } }] : [];
}

/** The report with what lies outside the text: what the lifecycle's guard and the pages read. */
export async function fullReport(doc: DocumentRecord, rev: RevisionRecord, step: QualityStep): Promise<QualityReport> {
  const report = qualityReport(doc, rev, step);
  return { ...report, errors: [...(await outsideTheText(step)), ...report.errors] };
}

/** Everything the check finds in the revision's text for the step: errors refuse it, warnings are accepted by the person taking it. */
export function qualityReport(doc: DocumentRecord, rev: RevisionRecord, step: QualityStep): QualityReport {
  const { rules, quality } = findingsOf(rev, doc);
  const weighed: CheckItem[] = quality.map((f) => ({ key: f.key, severity: severityOf(f.code, step), message: `quality.${f.code}`, ...(f.excerpt ? { params: { excerpt: f.excerpt } } : {}) }));
  // A published text is the balloted one, unchanged: what was accepted then is not asked again.
  const all = [...rules, ...weighed].filter((i) => !(step === 'publish' && i.severity === 'warning'));
  return { step, errors: all.filter((i) => i.severity === 'error'), warnings: all.filter((i) => i.severity === 'warning') };
}

/** The report as a page lists it: each item with its clause's number and heading, and where to mend it. */
export function qualityItems(doc: DocumentRecord, rev: RevisionRecord, items: readonly CheckItem[], locale: Locale) {
  const labels = numberClauses(rev.clauses);
  const byKey = new Map(rev.clauses.map((c) => [c.key, c]));
  return items.map((i) => {
    const c = byKey.get(i.key);
    if (!i.key) return { key: '', clause: translate(locale, 'quality.outsideText'), text: translate(locale, i.message, i.params), href: '/admin/delegations' };
    const clause = [labels.get(i.key)?.text[locale], c?.heading ?? c?.term?.ru ?? c?.table?.caption ?? c?.requirement?.parameter].filter(Boolean).join(' ') || i.key;
    return { key: i.key, clause, text: translate(locale, i.message, i.params), href: `/documents/${doc._id}/edit#clause-${i.key}` };
  });
}

/** The check of the current revision for the document's next step, as the check page and the API give it. */
export async function documentCheck(doc: DocumentRecord, rev: RevisionRecord, locale: Locale) {
  const step = nextCheckedStep(doc.state);
  if (!step) return { step: null, revision: rev.number, errors: [], warnings: [] };
  const report = await fullReport(doc, rev, step);
  return { step, revision: rev.number, errors: qualityItems(doc, rev, report.errors, locale), warnings: qualityItems(doc, rev, report.warnings, locale) };
}
