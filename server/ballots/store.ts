// Reading and creating ballot records, and the document-side record of votes (history events).
import { mongoose } from '../db/mongoose.js';
import { listDelegations } from '../delegations/service.js';
import type { DocumentRecord } from '../documents/index.js';
import { appendEventOnce, type HistoryEvent } from '../lifecycle/history.js';
import { Ballot, ballotFields, type BallotRecord, type Cast } from './model.js';
import { tally, type Tally, type Vote } from './tally.js';

/** The committee's words for a vote, as history notes record them («BY: за»). */
export const voteWords: Record<Vote, string> = { approve: 'за', disapprove: 'против', abstain: 'воздержался' };

export type BallotDocument = Pick<DocumentRecord, '_id' | 'state' | 'round' | 'ballotPeriod'>;

/** The delegations entitled to vote now: the active ones. */
export async function activeDelegationCodes(): Promise<string[]> {
  return (await listDelegations()).filter((d) => d.active).map((d) => d.code);
}

/** The record of the document's current ballot (its ballotPeriod), if anyone has voted or it has closed. */
export async function findBallot(doc: BallotDocument): Promise<BallotRecord | null> {
  if (!doc.ballotPeriod) return null;
  return Ballot.findOne({ document: doc._id, opensAt: doc.ballotPeriod.opensAt }).select(ballotFields).lean<BallotRecord>();
}

/** Every ballot the document has had, newest first. */
export async function ballotsOf(docId: mongoose.Types.ObjectId): Promise<BallotRecord[]> {
  return Ballot.find({ document: docId }).select(ballotFields).sort({ opensAt: -1 }).lean<BallotRecord[]>();
}

/**
 * The record of the current ballot, made on first need from the document's ballotPeriod (set by the
 * openBallot move). Made here rather than by the move, so that a crash after the move loses nothing: the
 * next vote or sweep makes it. Of two simultaneous makers the unique index lets one insert.
 */
export async function ensureBallot(doc: BallotDocument): Promise<BallotRecord> {
  const period = doc.ballotPeriod;
  if (!period) throw new Error(`document ${doc._id} has no ballot period`);
  const key = { document: doc._id, opensAt: period.opensAt };
  try {
    const made = await Ballot.findOneAndUpdate(
      key,
      { $setOnInsert: { closesAt: period.closesAt, revision: period.revision, round: doc.round, rule: period.rule, status: 'open', seq: 0, positions: [], casts: [], delegations: [] } },
      { upsert: true, returnDocument: 'after', projection: ballotFields },
    ).lean<BallotRecord>();
    if (made) return made;
  } catch (err) {
    if ((err as { code?: number }).code !== 11000) throw err;
  }
  const found = await findBallot(doc);
  if (!found) throw new Error(`the ballot of document ${doc._id} could not be made`);
  return found;
}

/** The result as things stand: pending while open and not every delegation has voted. */
export function tallyOf(b: Pick<BallotRecord, 'positions' | 'rule' | 'status' | 'delegations'>, activeCodes: readonly string[]): Tally {
  const open = b.status === 'open';
  return tally({ positions: b.positions, delegations: open ? activeCodes : b.delegations, rule: b.rule, open });
}

function castEvent(cast: Cast, revision: number): HistoryEvent {
  const note = cast.action === 'changeVote' && cast.previous ? `${cast.delegation}: ${voteWords[cast.previous]} → ${voteWords[cast.vote]}` : `${cast.delegation}: ${voteWords[cast.vote]}`;
  return { at: cast.at, by: cast.by, byName: cast.byName, action: cast.action, from: null, to: null, revision, note };
}

/**
 * Records a cast as a history event of the document, once (the lifecycle's history, server/lifecycle/history.ts):
 * a retry or the closing step's check adds nothing twice, and the history stays in time order even when a
 * vote's event arrives after the ballot's own closing event.
 */
export async function recordCast(b: Pick<BallotRecord, 'document' | 'revision'>, cast: Cast): Promise<void> {
  await appendEventOnce(b.document, castEvent(cast, b.revision));
}
