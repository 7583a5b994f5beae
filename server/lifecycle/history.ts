// A document's history: the one place its events are made and appended (docs/architecture.md, «History»).
//
// The history stays an array inside the document, not a collection of its own: it grows only with
// people's acts (a move, a change of details, a new revision, one vote per delegation per ballot), which
// is tens to a few hundred events over a document's whole life — far below the 16 MB document limit —
// and every page that shows a document shows its history too, so one read serves both. Clause edits, the
// one thing that does grow with use, are kept on the revision (its last 200) and never here.
import { mongoose } from '../db/mongoose.js';
import { DocumentModel, type DocumentRecord, type HistoryEvent } from '../documents/model.js';
import type { DocumentState } from './table.js';

export type { HistoryEvent };

/** Who acted: a signed-in person, or Accord itself (deadlines, tallies). */
export interface HistoryActor {
  id: string;
  name: string;
}

export function historyEvent(e: { at: Date; actor: HistoryActor | null; action: string; revision: number; from?: DocumentState | null; to?: DocumentState | null; note?: string }): HistoryEvent {
  return {
    at: e.at,
    by: e.actor ? new mongoose.Types.ObjectId(e.actor.id) : null,
    byName: e.actor?.name ?? 'Accord',
    action: e.action,
    from: e.from ?? null,
    to: e.to ?? null,
    revision: e.revision,
    ...(e.note ? { note: e.note } : {}),
  };
}

/** The `$push` that appends an event, for an update that changes the document in the same write. */
export function pushEvent(event: HistoryEvent): { history: HistoryEvent } {
  return { history: event };
}

/**
 * Appends an event once: the update applies only when no event of that action, time and person is there
 * yet, so a retry adds nothing twice; the history stays in time order even when an event arrives after a
 * later one (a vote's event recorded by the ballot's closing step).
 */
export async function appendEventOnce(document: DocumentRecord['_id'], event: HistoryEvent): Promise<void> {
  await DocumentModel.updateOne(
    { _id: document, history: mongoose.trusted({ $not: { $elemMatch: { action: event.action, at: event.at, by: event.by } } }) },
    { $push: { history: { $each: [event], $sort: { at: 1 } } } },
  );
}
