// The order of comments in a summary: clause, then anchor, then the time of writing (pure).
import type { CommentRecord } from './model.js';

/**
 * A comment's place in the summary as one string the database sorts by (`order`, with the time of writing
 * after it): the clause's place in the revision commented on, then the anchor — shorter references
 * first, then by character. Frozen revisions never change, so the key is written once with the comment
 * (and again when its anchor is edited). inClauseOrder below sorts in memory the same way.
 */
export function orderKey(clauseIndex: number | undefined, anchor: { ref?: string | null } | null | undefined): string {
  const ref = anchor?.ref ?? '';
  return `${String(clauseIndex ?? 999_999).padStart(6, '0')}|${String(ref.length).padStart(3, '0')}|${ref}`;
}

export function inClauseOrder<T extends Pick<CommentRecord, 'clauseKey' | 'anchor' | 'createdAt'>>(comments: T[], clauseOrder: string[]): T[] {
  const index = new Map(clauseOrder.map((k, i) => [k, i]));
  // Each comment's keys worked out once, not in every comparison (an export sorts batches of hundreds).
  const keyed = comments.map((c) => ({ c, clause: index.get(c.clauseKey) ?? Infinity, ref: c.anchor?.ref ?? '', at: c.createdAt.getTime() }));
  keyed.sort(
    (a, b) =>
      a.clause - b.clause ||
      // Shorter references first, then by character: «2» before «10», «А.2» before «А.10» — the order the
      // database sorts in too (summaryOrder in queries.ts), so that pages and exports agree with this.
      a.ref.length - b.ref.length ||
      (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0) ||
      a.at - b.at,
  );
  return keyed.map((k) => k.c);
}
