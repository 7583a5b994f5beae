import type { CurrentUser } from '../auth/index.js';
import { mongoose } from '../db/mongoose.js';
import { translate, type Locale } from '../i18n/index.js';
import type { DocumentRecord } from '../documents/index.js';
import { numberClauses } from '../text/numbering.js';
import { getRevision } from '../documents/index.js';
import { Comment, commentTypes, decisions, type CommentRecord } from './model.js';
import { inClauseOrder } from './order.js';
import { commentFields, forViewer } from './service.js';
import { summaryOrder, type SummaryOrder } from './summary-order.js';

export interface SummaryFilter {
  round?: number;
  delegation?: string;
  type?: string;
  clause?: string;
  disposition?: string;
  /** The delegation's answer to the disposition: agreed, not agreed, or none yet (answers.ts). */
  answer?: 'agreed' | 'disagreed' | 'none';
  /** The page of the summary shown (from 1); ignored by exports, which take every comment. */
  page?: number;
}

function summaryFilterQuery(doc: DocumentRecord, filter: SummaryFilter): Record<string, unknown> {
  const q: Record<string, unknown> = { document: doc._id, round: filter.round ?? doc.round, status: 'released' };
  if (filter.delegation) q.delegation = filter.delegation;
  if (filter.type) q.type = filter.type;
  if (filter.clause) q.clauseKey = filter.clause;
  if (filter.disposition === 'none') q.disposition = null;
  else if (filter.disposition) q['disposition.decision'] = filter.disposition;
  if (filter.answer === 'none') q.answer = null;
  else if (filter.answer) q['answer.agreed'] = filter.answer === 'agreed';
  return q;
}

/**
 * Released comments of a round, filtered, in clause order, each with where its clause stands in the
 * revision commented on and in the current one (or that it was removed). All of them at once: for the
 * summary PDF; pages and exports read them a part at a time (summaryPage, summaryBatches).
 */
export async function summaryOfComments(doc: DocumentRecord, filter: SummaryFilter, locale: Locale, viewer?: CurrentUser) {
  const rows = [];
  for await (const batch of summaryBatches(doc, filter, locale, viewer)) rows.push(...batch);
  return rows;
}

/** The summary's order: each comment's stored `order` (clause, then anchor: order.ts), then the time of writing. */
const summarySort = { order: 1, createdAt: 1, _id: 1 } as const;

export const SUMMARY_PAGE_SIZE = 100;

/** Which comments the filter selects, in summary order (kept in memory until the document's comments change: summary-order.ts). */
function orderOf(doc: DocumentRecord, filter: SummaryFilter): Promise<SummaryOrder> {
  return summaryOrder(doc._id, summaryFilterQuery(doc, filter), summarySort, !!(filter.disposition || filter.answer));
}

/**
 * Ids asked for in one query. The embedded engine finds each id of an `$in` in its index, then checks every
 * comment found against the whole list again: a query's cost grows with the square of its length, and 100 a
 * query reads a round faster than 500 (or than one sorted cursor over all of it).
 */
const BY_ID_CHUNK = 100;

/**
 * The comments with these ids, in the order of the ids (one that has gone meanwhile is left out). Queries on
 * `_id` alone: the embedded engine answers them from its unique index, without scanning the collection.
 */
async function commentsById<P extends Record<string, 1>>(ids: mongoose.Types.ObjectId[], projection: P): Promise<CommentRecord[]> {
  if (!ids.length) return [];
  const chunks = [];
  for (let i = 0; i < ids.length; i += BY_ID_CHUNK) chunks.push(ids.slice(i, i + BY_ID_CHUNK));
  const found = (await Promise.all(chunks.map((chunk) => Comment.collection.find<CommentRecord>({ _id: { $in: chunk } }, { projection, batchSize: chunk.length }).toArray()))).flat();
  const byId = new Map(found.map((c) => [c._id.toHexString(), c]));
  const out: CommentRecord[] = [];
  for (const id of ids) {
    const c = byId.get(id.toHexString());
    if (c) out.push(c);
  }
  return out;
}

/** One page of the summary (SUMMARY_PAGE_SIZE rows, pages counted from 1) and how many comments the filter selects. */
export async function summaryPage(doc: DocumentRecord, filter: SummaryFilter, locale: Locale, viewer: CurrentUser | undefined, page: number) {
  const [labeller, order] = await Promise.all([clauseLabeller(doc, locale), orderOf(doc, filter)]);
  const total = order.count;
  const pages = Math.max(1, Math.ceil(total / SUMMARY_PAGE_SIZE));
  const current = Math.min(Math.max(1, page), pages);
  const comments = await commentsById(order.ids((current - 1) * SUMMARY_PAGE_SIZE, current * SUMMARY_PAGE_SIZE), commentFields);
  return { rows: await labeller.label(comments.map((c) => forViewer(viewer, c))), total, page: current, pages };
}

/**
 * The fields an export reads (exportRows in exports.ts, the Word template) and the labeller sorts by: no
 * replies, edit trail or earlier dispositions, which a round of thousands of comments would carry for nothing.
 */
export const exportFields = {
  revision: 1, clauseKey: 1, anchor: 1, line: 1, type: 1, text: 1, proposedChange: 1, delegation: 1, number: 1, wholeDocument: 1, createdAt: 1,
  // Of the disposition and the answer only what a row says: not who gave them, when, or at which meeting.
  'disposition.decision': 1, 'disposition.reason': 1, 'disposition.observation': 1, 'disposition.appliedInRevision': 1, 'answer.agreed': 1, 'answer.reason': 1,
} as const;

/**
 * The summary in batches, in order, for answers that are written as they come (memory stays flat: the order
 * is a list of ids, the comments are read by id a batch at a time): every field the summary shows, each
 * comment as `viewer` may read it.
 */
export async function* summaryBatches(doc: DocumentRecord, filter: SummaryFilter, locale: Locale, viewer?: CurrentUser, size = 500) {
  const [labeller, order] = await Promise.all([clauseLabeller(doc, locale), orderOf(doc, filter)]);
  for await (const batch of inBatches(order, size, commentFields)) yield labeller.label(batch.map((c) => forViewer(viewer, c)));
}

/**
 * The summary in batches for the exports (exportRows in exports.ts, the Word template): only exportFields, each
 * comment with its clause label and nothing else added. The secretariat's view: no field an export reads is
 * hidden from anyone the summary is shown to.
 */
export async function* exportBatches(doc: DocumentRecord, filter: SummaryFilter, locale: Locale, size = 500) {
  const [labeller, order] = await Promise.all([clauseLabeller(doc, locale), orderOf(doc, filter)]);
  for await (const batch of inBatches(order, size, exportFields)) yield labeller.labelInPlace(batch);
}

/**
 * The comments of `order`, `size` at a time, each batch asked for while the one before is being written, so
 * that the database's answer and the writing overlap; never more than two batches in memory.
 */
async function* inBatches<P extends Record<string, 1>>(order: SummaryOrder, size: number, projection: P) {
  const batch = (from: number) => commentsById(order.ids(from, from + size), projection);
  let next = order.count > 0 ? batch(0) : undefined;
  try {
    for (let from = 0; next; from += size) {
      const current = await next;
      next = from + size < order.count ? batch(from + size) : undefined;
      yield current;
    }
  } finally {
    // Left early (the download was cut): the batch asked for is not awaited, and its failure is nobody's.
    next?.catch(() => undefined);
  }
}

/** One comment with its clause labels, as a row of the summary shows it. */
export async function labelledComment(doc: DocumentRecord, comment: CommentRecord, locale: Locale) {
  return (await (await clauseLabeller(doc, locale)).label([comment]))[0]!;
}

/** The delegation's own comments not yet released (only for its members and head). */
export async function internalComments(actor: CurrentUser, doc: DocumentRecord, locale: Locale) {
  if (!actor.delegationCode || (actor.role !== 'head' && actor.role !== 'member')) return [];
  const comments = await Comment.find({ document: doc._id, round: doc.round, delegation: actor.delegationCode, status: mongoose.trusted({ $in: ['internal', 'dropped'] }) })
    .select(commentFields)
    .lean<CommentRecord[]>();
  return (await clauseLabeller(doc, locale)).label(comments);
}

interface NumberedRevision {
  order: string[];
  labels: ReturnType<typeof numberClauses>;
  /** every clause key of the revision, with its heading if it has one */
  headings: Map<string, string | undefined>;
  /** the label a comment on each clause shows, by locale (wholeDocument aside), worked out once each */
  shown: Map<string, string>;
}

/**
 * Frozen revisions, read and numbered once per process: a frozen revision never changes (docs/architecture.md),
 * and every comment is written on one. Kept per document and revision number, least recently used dropped first;
 * a revision still being drafted is read again each time.
 */
const numberedFrozen = new Map<string, NumberedRevision>();
const MAX_NUMBERED = 32;

async function numberedRevision(doc: Pick<DocumentRecord, '_id'>, n: number): Promise<NumberedRevision> {
  const key = `${doc._id}:${n}`;
  const held = numberedFrozen.get(key);
  if (held) {
    numberedFrozen.delete(key);
    numberedFrozen.set(key, held); // most recently used last
    return held;
  }
  const rev = await getRevision(doc, n);
  const numbered = { order: rev.clauses.map((c) => c.key), labels: numberClauses(rev.clauses), headings: new Map(rev.clauses.map((c) => [c.key, c.heading])), shown: new Map<string, string>() };
  if (rev.frozen) {
    numberedFrozen.set(key, numbered);
    if (numberedFrozen.size > MAX_NUMBERED) numberedFrozen.delete(numberedFrozen.keys().next().value!);
  }
  return numbered;
}

/** The clause label a comment on `clauseKey` shows in the summary: its number, else its heading, else the key. */
function shownLabel(rev: NumberedRevision, clauseKey: string, locale: Locale): string {
  const key = `${locale}:${clauseKey}`;
  let label = rev.shown.get(key);
  if (label === undefined) rev.shown.set(key, (label = rev.labels.get(clauseKey)?.text[locale] ?? rev.headings.get(clauseKey) ?? clauseKey));
  return label;
}

/** Labels comments with their clause numbers; each revision is read and numbered once, however many comments refer to it. */
async function clauseLabeller(doc: DocumentRecord, locale: Locale) {
  const revisions = new Map<number, Promise<NumberedRevision>>();
  const revision = (n: number): Promise<NumberedRevision> => {
    if (!revisions.has(n)) revisions.set(n, numberedRevision(doc, n));
    return revisions.get(n)!;
  };
  const current = await revision(doc.currentRevision);
  const wholeDocument = translate(locale, 'comments.wholeDocument');
  /** The revisions the comments refer to, awaited once each rather than once per comment; the first is the one commented on. */
  const numberedOf = async (comments: readonly CommentRecord[]) => {
    const numbered = new Map<number, NumberedRevision>();
    for (const c of comments) if (!numbered.has(c.revision)) numbered.set(c.revision, await revision(c.revision));
    return { numbered, commented: comments.length ? numbered.get(comments[0]!.revision)! : current };
  };
  const label = async <C extends CommentRecord>(comments: C[]) => {
    const { numbered, commented } = await numberedOf(comments);
    const rows = [];
    for (const c of inClauseOrder(comments, commented.order)) {
      const rev = numbered.get(c.revision)!;
      rows.push({
        ...c,
        id: String(c._id),
        clauseLabel: c.wholeDocument ? wholeDocument : shownLabel(rev, c.clauseKey, locale),
        clauseHeading: rev.headings.get(c.clauseKey),
        // Where the clause is now: its current number, or null when the newer revision removed it.
        nowLabel: c.revision === doc.currentRevision ? undefined : current.headings.has(c.clauseKey) ? (current.labels.get(c.clauseKey)?.text[locale] ?? '—') : null,
      });
    }
    return rows;
  };
  /**
   * The clause label only, set on the comments themselves (read for this one use), in the same order as
   * `label`: what an export needs of a row, without a copy of every comment.
   */
  const labelInPlace = async <C extends CommentRecord>(comments: C[]): Promise<(C & { clauseLabel: string })[]> => {
    const { numbered, commented } = await numberedOf(comments);
    const rows = inClauseOrder(comments, commented.order) as (C & { clauseLabel: string })[];
    for (const c of rows) c.clauseLabel = c.wholeDocument ? wholeDocument : shownLabel(numbered.get(c.revision)!, c.clauseKey, locale);
    return rows;
  };
  return { label, labelInPlace };
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
