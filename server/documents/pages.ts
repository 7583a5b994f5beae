import Handlebars from 'handlebars';
import { NotFound } from '../errors.js';
import type { CurrentUser } from '../auth/index.js';
import { translate, type Locale } from '../i18n/index.js';
import type { Clause } from '../text/clauses.js';
import { addDays, dayOf } from '../time/days.js';
import { formatDay } from '../time/format.js';
import { committeeSettings } from '../committee/index.js';
import type { DocumentRecord, RevisionRecord } from './model.js';
import { numberClauses } from '../text/numbering.js';
import { listProductGroups } from './product-groups.js';
import { checkRevisionVisible, compare, historyFor, supersededDesignation, seesDrafts, getRevision, getRevisionHeaders, listRevisions, revisionProblems, visibleRevisions } from './index.js';
import { comparisonView } from '../text/compare-view.js';
import { derivedOnce, revisionKey } from '../common/derived-cache.js';
import { revisionView } from '../text/view-model.js';
import { documentCheck, fullReport, nextCheckedStep } from './quality.js';
import { STATES, transitionsFrom } from '../lifecycle/table.js';
import { documentProgramme, type DocumentProgramme } from './targets.js';
import { amendmentChangesOf } from './editions.js';
import { changeInstruction, clausePlainText } from '../text/amendment.js';
import { DocumentModel } from './model.js';
import { listHref, pagerOf, sliceOf } from '../http/paging.js';

function docSummary(doc: DocumentRecord, locale: Locale, now?: Date) {
  return {
    id: String(doc._id),
    title: doc.titles[locale] || doc.titles.ru,
    titles: doc.titles,
    kind: doc.kind,
    productGroup: doc.productGroup,
    ics: doc.ics,
    developer: doc.developer,
    state: doc.state,
    stage: doc.stage,
    round: doc.round,
    rev: doc.rev,
    designation: doc.designation,
    currentRevision: doc.currentRevision,
    // Only while comments are taken: a closed period, and a published text, say nothing of it.
    commentPeriod: doc.state === 'comment' && doc.commentPeriod && now && doc.commentPeriod.closesAt.getTime() > now.getTime() ? doc.commentPeriod : undefined,
    ballotPeriod: doc.ballotPeriod ?? undefined,
    editable: STATES[doc.state].editable,
    published: doc.publication ? { designation: doc.publication.designation } : undefined,
    supersedes: doc.supersedes ? String(doc.supersedes) : undefined,
    supersededBy: doc.supersededBy ? String(doc.supersededBy) : undefined,
    withdrawnOn: doc.withdrawal?.date ? formatDay(doc.withdrawal.date, locale) : undefined,
  };
}

/** What the comments feature tells the document page about its clauses (server/comments/by-clause.ts), given to the routes by the app. */
export type ClauseCommentsOf = (actor: CurrentUser | undefined, doc: DocumentRecord, now: Date) => Promise<{ canComment: boolean; counts: Map<string, number> } | undefined>;

/**
 * What the comments feature tells the secretariat before it opens the ballot: the delegations' open
 * disagreements with the dispositions of the round (server/comments/answers.ts), given to the routes by the app.
 */
export type DisagreementsOf = (doc: DocumentRecord, locale: Locale) => Promise<readonly unknown[]>;

const escapeHtml = (s: string) => Handlebars.Utils.escapeExpression(s);

/**
 * Beside each clause: the comments this person may read on it, and "comment on this clause" while they
 * may write. Put into the kept text at its marks (server/http/views.ts, fragment).
 */
function clauseMarks(doc: DocumentRecord, clauses: readonly { key: string; kind: string }[], activity: Awaited<ReturnType<ClauseCommentsOf>>, locale: Locale): Record<string, string> | undefined {
  if (!activity || (!activity.canComment && activity.counts.size === 0)) return undefined;
  const base = `/documents/${doc._id}/comments?clause=`;
  const write = escapeHtml(translate(locale, 'documents.commentOnClause'));
  const marks: Record<string, string> = {};
  for (const c of clauses) {
    if (c.kind === 'reference' || c.kind === 'bibliography') continue;
    const n = activity.counts.get(c.key) ?? 0;
    const parts = [];
    if (n) parts.push(`<a href="${base}${encodeURIComponent(c.key)}#summary" data-test="clause-comments">${escapeHtml(translate(locale, 'documents.clauseComments', { count: n }))}</a>`);
    if (activity.canComment) parts.push(`<a href="${base}${encodeURIComponent(c.key)}&amp;write=1#new-comment" data-test="comment-on-clause">${write}</a>`);
    if (parts.length) marks[c.key] = `<p class="clause-comments">${parts.join(' · ')}</p>`;
  }
  return marks;
}

async function productGroupName(code: string, locale: Locale): Promise<string> {
  const g = (await listProductGroups()).find((p) => p.code === code);
  return g ? g.name[locale] : code;
}

/** Everything the document page shows: the chosen revision's text, its history and what may be done next. */
export async function documentPage(actor: CurrentUser | undefined, doc: DocumentRecord, number: number, locale: Locale, now: Date, clauseComments?: ClauseCommentsOf, disagreementsOf?: DisagreementsOf) {
  checkRevisionVisible(actor, doc, number);
  const isSecretariat = actor?.role === 'secretariat';
  // What the page reads does not depend on each other: one wait; the revision shown is one of the list.
  const [all, groupName, settings, activity, disagreements, replaces] = await Promise.all([
    listRevisions(doc),
    productGroupName(doc.productGroup, locale),
    isSecretariat ? committeeSettings() : undefined,
    clauseComments?.(actor, doc, now),
    // Beside the form that opens the ballot: what the delegations did not agree with (it does not block it).
    isSecretariat && doc.state === 'resolution' && disagreementsOf ? disagreementsOf(doc, locale).then((items) => ({ items })) : undefined,
    supersededDesignation(doc),
  ]);
  const revision = all.find((r) => r.number === number);
  if (!revision) throw new NotFound('documents.revisionNotFound');
  const revisions = visibleRevisions(actor, doc, all);
  // The rendered text depends only on the revision at its edit version: read and render it once.
  const clauses = await derivedOnce(`view:${revisionKey(revision)}:${locale}`, async () => revisionView((await getRevision(doc, number)).clauses, locale));
  const amendment = doc.amends ? await amendmentPanel(doc, await getRevision(doc, number)) : undefined;
  const step = isSecretariat ? nextCheckedStep(doc.state) : undefined;
  const report = step ? await fullReport(doc, await getRevision(doc, doc.currentRevision), step) : undefined;
  const transitions = settings
    ? transitionsFrom(doc.state)
        .filter((t) => t.actors.includes('secretariat'))
        // 'amend' leads to the page that offers both a revision and an amendment (docs/amendments.md).
        .map((t) => ({ name: t.name, label: translate(locale, t.name === 'amend' ? 'publishing.changeStandard' : `workflow.transition.${t.name}`), danger: t.name === 'cancel' || t.name === 'withdraw', needsDeadline: t.name === 'circulate' || t.name === 'openBallot',
          // Publication, amendment and withdrawal have pages of their own (server/publishing); so has
          // cancelling, which asks for a reason and says what it does before it is done.
          href: ['publish', 'amend', 'withdraw', 'cancel'].includes(t.name) ? `/documents/${doc._id}/${t.name}` : undefined,
          deadlineLabel: t.name === 'circulate' ? 'documents.deadline' : 'documents.ballotDeadline',
          // The quality check's warnings are accepted with the move itself (docs/quality.md).
          askAcceptWarnings: t.name === step && !!report?.warnings.length,
          defaultDate: addDays(dayOf(now), t.name === 'circulate' ? settings.commentDays : settings.ballotDays),
        }))
    : [];
  return {
    title: 'documents.showTitle',
    pageTitle: doc.titles[locale],
    doc: docSummary(doc, locale, now),
    productGroupName: groupName,
    // The foreword's fact, as the PDF prints it: «ВЗАМЕН …» or «ВВЕДЁН ВПЕРВЫЕ» (docs/amendments.md).
    foreword: { replaces },
    amendment,
    revision: { number: revision.number, frozen: revision.frozen, frozenAt: revision.frozenAt, isCurrent: revision.number === doc.currentRevision },
    clauses,
    // The rendered text is kept under the same key as its view (server/http/views.ts, fragment).
    clausesFragment: `view:${revisionKey(revision)}:${locale}`,
    clauseMarks: clauseMarks(doc, clauses, activity, locale),
    revisions: revisions.map((r) => ({ ...r, isShown: r.number === revision.number })),
    canCompare: revisions.length > 1,
    previousRevision: revisions.length > 1 ? Math.max(1, revision.number - 1) : undefined,
    // The latest events, newest first; the whole history has a page of its own (historyPage).
    history: latestHistory(actor, doc),
    // The weighty moves stand apart from the day's work, in a panel of their own below it.
    transitions: transitions.filter((t) => !t.danger),
    dangerousTransitions: transitions.filter((t) => t.danger),
    canEdit: isSecretariat && STATES[doc.state].editable,
    check: report && { href: `/documents/${doc._id}/check`, errors: report.errors.length, warnings: report.warnings.length },
    disagreements,
    showComments: doc.round > 0 && !!actor && ['administrator', 'secretariat', 'head', 'member'].includes(actor.role),
    programme: actor && ['administrator', 'secretariat', 'head', 'member'].includes(actor.role) ? programmeView(await documentProgramme(doc, now), locale) : undefined,
    canEditTargets: isSecretariat && !STATES[doc.state].terminal,
  };
}

/** Events the document page shows: the latest, the newest first. */
export const LATEST_HISTORY = 10;
/** Events a page of the whole history holds. */
export const HISTORY_PAGE_SIZE = 50;

/**
 * The document page's history: the latest events the caller may read, newest first, and how many there are
 * in all, with the link to the whole history when there are more. A secretariat member looks at the document
 * page for what happened lately and what is next; the whole record, read now and then (who voted when, when
 * the details changed), is a page of its own, paged, rather than pages of history under the text, each of
 * which would bring the whole text again.
 */
function latestHistory(actor: CurrentUser | undefined, doc: DocumentRecord) {
  const all = historyFor(actor, doc);
  const events = all.slice(-LATEST_HISTORY).reverse();
  return { events, total: all.length, more: all.length > events.length, href: `/documents/${doc._id}/history` };
}

/** One page of the whole history of the document, newest first, with links to the other pages. */
export function historyPage(actor: CurrentUser | undefined, doc: DocumentRecord, page: number, locale: Locale) {
  const all = historyFor(actor, doc);
  const slice = sliceOf(all.length, page, HISTORY_PAGE_SIZE);
  // Newest first: page 1 ends the array.
  const end = all.length - slice.skip;
  const events = all.slice(Math.max(0, end - HISTORY_PAGE_SIZE), end).reverse();
  return {
    title: 'documents.historyTitle',
    doc: docSummary(doc, locale),
    events,
    // Each event keeps its number in time order, whichever page shows it.
    first: end,
    pager: pagerOf(slice, (n) => listHref(`/documents/${doc._id}/history`, {}, n)),
  };
}

/** The document's targets and actual days as the page writes them (docs/programme.md). */
export function programmeView(p: DocumentProgramme, locale: Locale) {
  return {
    computed: p.computed,
    late: p.late.length > 0,
    stages: p.stages.map((s) => ({
      stage: s.stage,
      label: translate(locale, `programme.stage.${s.stage}`),
      target: s.target,
      targetText: formatDay(s.target, locale),
      actualText: s.actual ? formatDay(s.actual, locale) : undefined,
      reached: s.reached,
      late: s.late,
    })),
  };
}

/** The quality check page: what the next step would refuse or ask to accept, with links, and the proof PDF. */
export async function checkPage(doc: DocumentRecord, locale: Locale) {
  const rev = await getRevision(doc, doc.currentRevision);
  const check = await documentCheck(doc, rev, locale);
  return {
    title: 'quality.title',
    doc: docSummary(doc, locale),
    ...check,
    stepName: check.step ? translate(locale, `workflow.transition.${check.step}`) : undefined,
    // Before publishing, the proof is the publication's own layout (server/publishing: cover, foreword with
    // the votes and dates of entry into force); before circulating, the draft as circulation freezes it.
    proofHref: check.step === 'publish' ? `/documents/${doc._id}/publish/proof.pdf` : `/documents/${doc._id}/revisions/${rev.number}/pdf`,
    clean: check.errors.length === 0 && check.warnings.length === 0,
  };
}

/** The secretariat's editor: the working revision with its controls and what still blocks circulation. */
export async function editorPage(doc: DocumentRecord, locale: Locale) {
  const revision: RevisionRecord = await getRevision(doc, doc.currentRevision);
  const labels = numberClauses(revision.clauses);
  const views = revisionView(revision.clauses, locale, labels);
  const { issues, dangling, unprintable } = revisionProblems(revision.clauses, doc);
  const labelOf = (key: string) => labels.get(key)?.text[locale] ?? revision.clauses.find((c) => c.key === key)?.heading ?? key;
  return {
    title: 'documents.editTitle',
    doc: docSummary(doc, locale),
    productGroups: await listProductGroups(),
    details: { titleRu: doc.titles.ru, titleEn: doc.titles.en, productGroup: doc.productGroup, ics: doc.ics, developer: doc.developer },
    revision: { number: revision.number, frozen: revision.frozen, version: revision.version, clauses: revision.clauses },
    items: views.map((v, i) => ({ ...v, first: i === 0, summary: summaryOf(revision.clauses[i]!) })),
    problems: [
      ...issues.map((i) => ({ key: i.key, label: labelOf(i.key), message: translate(locale, `clauses.issue.${i.code}`) })),
      ...dangling.map((d) => ({ key: d.fromKey, label: labelOf(d.fromKey), message: translate(locale, 'clauses.issue.danglingReference') })),
      ...unprintable.map((u) => ({ key: u.place.clauseKey, label: u.place[locale], message: translate(locale, 'clauses.issue.unprintable', { char: u.char, code: u.codePoint }) })),
    ],
    methodOptions: revision.clauses.filter((c) => c.kind === 'section' || c.kind === 'text').map((c) => ({ key: c.key, label: `${labels.get(c.key)?.text[locale] ?? ''} ${c.heading ?? ''}`.trim() })),
    // What a cross-reference may point at, by number and heading (never a key to type).
    refOptions: revision.clauses.filter((c) => c.kind !== 'reference' && c.kind !== 'bibliography' && labels.get(c.key)?.text[locale]).map((c) => ({ key: c.key, label: `${labels.get(c.key)!.text[locale]} ${c.heading ?? c.term?.ru ?? c.table?.caption ?? c.requirement?.parameter ?? ''}`.trim().slice(0, 90) })),
    kinds: ['section', 'text', 'requirement', 'note', 'example', 'table', 'term', 'reference', 'bibliography'],
    editable: STATES[doc.state].editable,
    nextRevision: revision.number + 1,
  };
}

/** A line of text that tells clauses apart in the editor's list. */
function summaryOf(c: Clause): string {
  const text = c.heading ?? c.requirement?.parameter ?? c.term?.ru ?? c.reference?.designation ?? c.table?.caption ?? c.body ?? c.table?.header.join(' | ') ?? '';
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 140 ? `${flat.slice(0, 139)}…` : flat;
}

/**
 * The comments whose proposed change was applied in the revisions after `from` up to `to`, by the clause
 * they changed (server/comments/apply.ts, docs/applying-changes.md), given to the routes by the app.
 */
export type AppliedCommentsOf = (doc: DocumentRecord, from: number, to: number) => Promise<Map<string, readonly { id: string; number: string | null }[]>>;

/** At each changed clause of the redline: the comments that caused the change, their numbers linked to their pages. */
function appliedMarks(doc: DocumentRecord, rows: readonly { key: string }[], applied: Awaited<ReturnType<AppliedCommentsOf>>, locale: Locale): Record<string, string> | undefined {
  if (!applied.size) return undefined;
  const marks: Record<string, string> = {};
  for (const { key } of rows) {
    const list = applied.get(key);
    if (!list?.length) continue;
    const links = list.map((c) => `<a href="/documents/${doc._id}/comments/${c.id}">${escapeHtml(c.number ?? '—')}</a>`).join(', ');
    marks[key] = `<p class="rl-comments" data-test="applied-comments">${escapeHtml(translate(locale, 'apply.changedBy', { count: list.length }))} ${links}</p>`;
  }
  return marks;
}

/** The redline page's model; the comparison of two revisions at their versions is computed once. */
export async function comparePage(actor: CurrentUser | undefined, doc: DocumentRecord, from: number, to: number, locale: Locale, appliedOf?: AppliedCommentsOf) {
  // the same refusal as compare()'s, before anything cached could answer
  checkRevisionVisible(actor, doc, from);
  checkRevisionVisible(actor, doc, to);
  if (!seesDrafts(actor)) throw new NotFound('documents.revisionNotFound');
  const [a, b] = await getRevisionHeaders(doc, from, to);
  const view = await derivedOnce(`compare:${revisionKey(a)}|${revisionKey(b)}:${locale}`, async () => comparisonView(await compare(actor, String(doc._id), from, to), locale));
  const marks = appliedOf ? appliedMarks(doc, view.rows, await appliedOf(doc, from, to), locale) : undefined;
  return { ...view, rowsFragment: `compare:${revisionKey(a)}|${revisionKey(b)}:${locale}`, appliedMarks: marks };
}

/**
 * On an amendment's page: the standard it amends and its changes in the words of the amendment
 * («Пункт 4.1 изложить в новой редакции: …»), each with the clause's text in force (docs/amendments.md).
 */
async function amendmentPanel(doc: DocumentRecord, revision: RevisionRecord) {
  const { base, amended, changes } = await amendmentChangesOf(doc, revision);
  const standard = await DocumentModel.findById(doc.amends).select({ designation: 1 }).lean<Pick<DocumentRecord, 'designation'>>();
  return {
    standard: { id: String(doc.amends), designation: standard?.designation ?? '' },
    changes: changes.map((c) => ({
      key: c.key,
      type: c.type,
      instruction: changeInstruction(c),
      text: c.type === 'delete' ? [] : clausePlainText(c.clause, amended),
      current: c.type === 'add' ? [] : clausePlainText(c.before, base),
    })),
  };
}
