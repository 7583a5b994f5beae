// The models of a document's comments pages: the list with what this caller may do on it, and one comment.
import type { CurrentUser } from '../auth/index.js';
import type { DocumentRecord } from '../documents/index.js';
import { getRevision, listRevisions } from '../documents/index.js';
import type { Locale } from '../i18n/index.js';
import { numberClauses } from '../text/numbering.js';
import { revisionView } from '../text/view-model.js';
import { formatInstant } from '../time/format.js';
import { timeLeft } from '../time/time-left.js';
import { appliableDecisions, commentTypes, decisions } from './model.js';
import { answersOpen } from './answers.js';
import { positionOf } from './position.js';
import { internalComments, labelledComment, SUMMARY_PAGE_SIZE, summaryPage, type SummaryFilter } from './queries.js';
import { getVisibleComment, isAuthor } from './service.js';

async function clauseOptions(doc: DocumentRecord, locale: Locale) {
  if (!doc.commentPeriod && doc.round === 0) return [];
  const rev = await getRevision(doc, doc.commentPeriod?.revision ?? doc.currentRevision);
  const labels = numberClauses(rev.clauses);
  return rev.clauses
    .filter((c) => c.kind !== 'reference' && c.kind !== 'bibliography')
    .map((c) => ({ key: c.key, label: `${labels.get(c.key)?.text[locale] ?? ''} ${c.heading ?? c.term?.ru ?? c.requirement?.parameter ?? c.table?.caption ?? (c.body ?? '').slice(0, 60)}`.trim() }));
}

/** Where the summary's pages are: the rows shown, of how many, and links to the pages either side (with the filter kept). */
function pagerOf(doc: DocumentRecord, filter: SummaryFilter, s: { total: number; page: number; pages: number }) {
  const href = (page: number) => {
    const q = new URLSearchParams(Object.entries({ ...filter, page }).filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => [k, String(v)]));
    return `/documents/${doc._id}/comments?${q.toString()}#summary`;
  };
  return {
    total: s.total,
    page: s.page,
    pages: s.pages,
    from: s.total ? (s.page - 1) * SUMMARY_PAGE_SIZE + 1 : 0,
    to: Math.min(s.total, s.page * SUMMARY_PAGE_SIZE),
    several: s.pages > 1,
    previous: s.page > 1 ? href(s.page - 1) : undefined,
    next: s.page < s.pages ? href(s.page + 1) : undefined,
  };
}

/** The clause a person chose to comment on from the text, shown beside the form as it reads in the circulated revision. */
async function chosenClause(doc: DocumentRecord, key: string, locale: Locale) {
  if (!doc.commentPeriod) return undefined;
  const rev = await getRevision(doc, doc.commentPeriod.revision);
  const i = rev.clauses.findIndex((c) => c.key === key);
  if (i < 0) return undefined;
  return revisionView(rev.clauses, locale)[i];
}

/** Everything the comments page of a document shows to this caller. */
export async function commentsPage(actor: CurrentUser, doc: DocumentRecord, filter: SummaryFilter, locale: Locale, now: Date, extra: Record<string, unknown> = {}, write = false) {
  const round = filter.round ?? doc.round;
  const isDelegate = (actor.role === 'head' || actor.role === 'member') && !!actor.delegationCode;
  const position = isDelegate && doc.round > 0 ? await positionOf(doc, actor.delegationCode!) : null;
  const open = doc.state === 'comment' && !!doc.commentPeriod && doc.commentPeriod.closesAt.getTime() > now.getTime();
  const internal = (isDelegate ? await internalComments(actor, doc, locale) : []).filter((c) => !filter.clause || c.clauseKey === filter.clause);
  const canComment = isDelegate && open && !position;
  const writing = canComment && write && filter.clause ? await chosenClause(doc, filter.clause, locale) : undefined;
  const summary = doc.round > 0 ? await summaryPage(doc, { ...filter, round }, locale, actor, filter.page ?? 1) : { rows: [], total: 0, page: 1, pages: 1 };
  return {
    title: 'comments.title',
    doc: { id: String(doc._id), title: doc.titles[locale] || doc.titles.ru, state: doc.state, round: doc.round, stage: doc.stage, currentRevision: doc.currentRevision },
    period: doc.commentPeriod ? { revision: doc.commentPeriod.revision, closesAt: doc.commentPeriod.closesAt, closesAtText: formatInstant(doc.commentPeriod.closesAt, locale), left: timeLeft(doc.commentPeriod.closesAt, now, locale) } : undefined,
    rounds: Array.from({ length: doc.round }, (_, i) => ({ n: i + 1, selected: i + 1 === round })),
    round,
    filter,
    types: commentTypes,
    decisions,
    delegation: actor.delegationCode,
    isDelegate,
    isHead: actor.role === 'head',
    isSecretariat: actor.role === 'secretariat',
    canComment,
    // Chosen from the text ("comment on this clause"): the form opens with the clause chosen and shown.
    chosen: writing,
    formOpen: !!writing,
    values: filter.clause && canComment ? { clauseKey: filter.clause } : {},
    position,
    canRelease: actor.role === 'head' && open && !position?.numbered && internal.some((c) => c.status === 'internal'),
    internal,
    // Each row's choice for the bulk disposition carries the disposition seen (docs/answers.md, "Bulk dispositions").
    rows: summary.rows.map((r) => ({ ...r, stamp: r.disposition?.at ? new Date(r.disposition.at).getTime() : 0 })),
    canBulk: actor.role === 'secretariat' && (doc.state === 'comment' || doc.state === 'resolution') && round === doc.round && summary.total > 0,
    selectEditorialHref: `/documents/${doc._id}/comments?round=${round}&type=ed&disposition=none&select=all#bulk`,
    reportHref: doc.round > 0 ? `/documents/${doc._id}/disposition-report` : undefined,
    pager: pagerOf(doc, { ...filter, round }, summary),
    clauses: isDelegate && open ? await clauseOptions(doc, locale) : [],
    answerChoices: ['agreed', 'disagreed', 'none'],
    // Once the round's dispositions are published, the delegation's answers to them have a page (answers.ts).
    answersLink: isDelegate && doc.round > 0 && answersOpen(doc, doc.round) !== 'notPublished' && round === doc.round ? `/documents/${doc._id}/answers` : undefined,
    clauseChoices: doc.round > 0 ? (await clauseOptions(doc, locale)).map((c) => ({ ...c, label: c.label.length > 60 ? `${c.label.slice(0, 59)}…` : c.label })) : [],
    ...extra,
  };
}

export async function commentView(actor: CurrentUser, doc: DocumentRecord, commentId: string, locale: Locale) {
  const { comment } = await getVisibleComment(actor, commentId);
  const row = await labelledComment(doc, comment, locale);
  const ownDelegation = actor.delegationCode === comment.delegation;
  const editable = ownDelegation && comment.status === 'internal' && doc.state === 'comment';
  const mergeTargets = editable && actor.role === 'head' ? (await internalComments(actor, doc, locale)).filter((c) => c.status === 'internal' && c.id !== commentId) : [];
  return {
    title: 'comments.commentTitle',
    doc: { id: String(doc._id), title: doc.titles[locale] || doc.titles.ru, state: doc.state },
    comment: row ?? { ...comment, id: commentId },
    editable,
    canEdit: editable && isAuthor(actor, comment),
    canDrop: editable && actor.role === 'head',
    edits: ownDelegation ? (comment.edits ?? []).map((e, i) => ({ ...e, n: i + 1 })).reverse() : [],
    mergeTargets,
    // The head answers the disposition on the delegation's answer page (answers.ts).
    answerHref: actor.role === 'head' && ownDelegation && comment.status === 'released' && !!comment.disposition && answersOpen(doc, comment.round) === 'open' ? `/documents/${doc._id}/answers#answer-${commentId}` : undefined,
    canDispose: actor.role === 'secretariat' && comment.status === 'released' && (doc.state === 'comment' || doc.state === 'resolution'),
    // Applying the proposed change to the next revision (docs/applying-changes.md); the page says why it cannot be.
    applyHref: actor.role === 'secretariat' && comment.status === 'released' && !!comment.disposition && appliableDecisions.includes(comment.disposition.decision) && !!comment.proposedChange?.trim() && !comment.wholeDocument && !comment.disposition.appliedClauseKey && (doc.state === 'resolution' || doc.state === 'draft') ? `/documents/${doc._id}/comments/${commentId}/apply` : undefined,
    applied: comment.disposition?.appliedClauseKey && comment.disposition.appliedInRevision
      ? {
          revision: comment.disposition.appliedInRevision,
          label: (row?.nowLabel ?? row?.clauseLabel) || '',
          byName: comment.disposition.appliedByName,
          at: comment.disposition.appliedAt,
          // The redline from the text the comment was written on to the revision it changed, at the clause.
          redlineHref: `/documents/${doc._id}/compare?from=${comment.revision}&to=${comment.disposition.appliedInRevision}#clause-${comment.disposition.appliedClauseKey}`,
        }
      : undefined,
    revisions: (await listRevisions(doc)).map((r) => r.number),
    types: commentTypes,
    decisions,
    values: {
      type: comment.type,
      text: comment.text,
      proposedChange: comment.proposedChange,
      anchorKind: comment.anchor?.kind,
      anchorRef: comment.anchor?.ref,
      line: comment.line,
      version: comment.version,
      decision: comment.disposition?.decision,
      reason: comment.disposition?.reason,
      observation: comment.disposition?.observation,
      appliedInRevision: comment.disposition?.appliedInRevision,
    },
  };
}

/** The head's confirmation before releasing the national position: what will be sent, and what follows. */
export async function releasePage(actor: CurrentUser, doc: DocumentRecord, locale: Locale, now: Date) {
  const internal = (await internalComments(actor, doc, locale)).filter((c) => c.status === 'internal');
  const position = doc.round > 0 && actor.delegationCode ? await positionOf(doc, actor.delegationCode) : null;
  const open = doc.state === 'comment' && !!doc.commentPeriod && doc.commentPeriod.closesAt.getTime() > now.getTime();
  return {
    title: 'comments.releaseTitle',
    doc: { id: String(doc._id), title: doc.titles[locale] || doc.titles.ru },
    delegation: actor.delegationCode,
    count: internal.length,
    closesAt: doc.commentPeriod ? formatInstant(doc.commentPeriod.closesAt, locale) : undefined,
    canRelease: open && !position?.numbered && internal.length > 0,
    released: !!position?.numbered,
  };
}
