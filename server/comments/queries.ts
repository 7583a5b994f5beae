import type { CurrentUser } from '../auth/index.js';
import { mongoose } from '../db/mongoose.js';
import type { Locale } from '../i18n/index.js';
import type { DocumentRecord } from '../documents/index.js';
import { numberClauses } from '../text/numbering.js';
import { getRevision } from '../documents/index.js';
import { Comment, commentTypes, decisions, type CommentRecord } from './model.js';
import { inClauseOrder } from './position.js';
import { commentFields, forViewer } from './service.js';

export interface SummaryFilter {
  round?: number;
  delegation?: string;
  type?: string;
  clause?: string;
  disposition?: string;
}

/**
 * Released comments of a round, filtered, in clause order, each with where its clause stands in the
 * revision commented on and in the current one (or that it was removed).
 */
export async function summaryOfComments(doc: DocumentRecord, filter: SummaryFilter, locale: Locale, viewer?: CurrentUser) {
  const round = filter.round ?? doc.round;
  const q: Record<string, unknown> = { document: doc._id, round, status: 'released' };
  if (filter.delegation) q.delegation = filter.delegation;
  if (filter.type) q.type = filter.type;
  if (filter.clause) q.clauseKey = filter.clause;
  if (filter.disposition === 'none') q.disposition = null;
  else if (filter.disposition) q['disposition.decision'] = filter.disposition;
  const comments = await Comment.find(q).select(commentFields).lean<CommentRecord[]>();
  return withClauseLabels(doc, comments.map((c) => forViewer(viewer, c)), locale);
}

/** The delegation's own comments not yet released (only for its members and head). */
export async function internalComments(actor: CurrentUser, doc: DocumentRecord, locale: Locale) {
  if (!actor.delegationCode || (actor.role !== 'head' && actor.role !== 'member')) return [];
  const comments = await Comment.find({ document: doc._id, round: doc.round, delegation: actor.delegationCode, status: mongoose.trusted({ $in: ['internal', 'dropped'] }) })
    .select(commentFields)
    .lean<CommentRecord[]>();
  return withClauseLabels(doc, comments, locale);
}

async function withClauseLabels(doc: DocumentRecord, comments: CommentRecord[], locale: Locale) {
  // Each revision is read and numbered once, however many comments refer to it.
  const revisions = new Map<number, { order: string[]; labels: ReturnType<typeof numberClauses>; byKey: Map<string, { heading?: string }> }>();
  const revisionOf = async (n: number) => {
    if (!revisions.has(n)) {
      const rev = await getRevision(doc, n);
      revisions.set(n, { order: rev.clauses.map((c) => c.key), labels: numberClauses(rev.clauses), byKey: new Map(rev.clauses.map((c) => [c.key, c])) });
    }
    return revisions.get(n)!;
  };
  const current = await revisionOf(doc.currentRevision);
  const commented = comments.length ? await revisionOf(comments[0]!.revision) : current;
  const rows = [];
  for (const c of inClauseOrder(comments, commented.order)) {
    const rev = await revisionOf(c.revision);
    const clause = rev.byKey.get(c.clauseKey);
    rows.push({
      ...c,
      id: String(c._id),
      clauseLabel: rev.labels.get(c.clauseKey)?.text[locale] ?? clause?.heading ?? c.clauseKey,
      clauseHeading: clause?.heading,
      // Where the clause is now: its current number, or null when the newer revision removed it.
      nowLabel: c.revision === doc.currentRevision ? undefined : current.byKey.has(c.clauseKey) ? (current.labels.get(c.clauseKey)?.text[locale] ?? '—') : null,
    });
  }
  return rows;
}

/** Comments of a round by delegation × type × disposition, for the statistics table and chart. */
export async function statisticsOfRound(doc: DocumentRecord, round: number) {
  const rows = await Comment.aggregate<{ _id: { delegation: string; type: string; decision: string | null }; n: number }>([
    { $match: { document: doc._id, round, status: 'released' } },
    { $group: { _id: { delegation: '$delegation', type: '$type', decision: '$disposition.decision' }, n: { $sum: 1 } } },
  ]);
  const delegations = [...new Set(rows.map((r) => r._id.delegation))].sort();
  const outcome = [...decisions, 'none'] as const;
  const cell = (delegation: string, type: string, decision: string) =>
    rows.filter((r) => r._id.delegation === delegation && r._id.type === type && (r._id.decision ?? 'none') === decision).reduce((s, r) => s + r.n, 0);
  return {
    delegations,
    types: commentTypes,
    outcomes: outcome,
    table: delegations.flatMap((d) => commentTypes.map((t) => ({ delegation: d, type: t, counts: outcome.map((o) => cell(d, t, o)), total: outcome.reduce((s, o) => s + cell(d, t, o), 0) }))),
    total: rows.reduce((s, r) => s + r.n, 0),
  };
}
