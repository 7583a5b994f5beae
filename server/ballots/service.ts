import type { Logger } from 'pino';
import type { CurrentUser } from '../auth/index.js';
import { mongoose } from '../db/mongoose.js';
import { Conflict, Forbidden, InvalidInput, InvalidTransition, NotFound } from '../errors.js';
import type { DocumentRecord } from '../documents/index.js';
import { getDocument, seesDrafts } from '../documents/index.js';
import { closeBallot, type ClosingDeps } from './closing.js';
import { Ballot, ballotFields, type BallotRecord, type Cast, type Position } from './model.js';
import { activeDelegationCodes, ballotsOf, ensureBallot, findBallot, recordCast, tallyOf } from './store.js';
import type { Tally, Vote } from './tally.js';

export { ballotFacts, sweepBallots, type ClosingDeps } from './closing.js';
export { activeDelegationCodes, ballotsOf } from './store.js';

export const messages = {
  headOnly: 'ballots.headOnly',
  noDelegation: 'ballots.noDelegation',
  notOpen: 'ballots.notOpen',
  closed: 'ballots.closed',
  reasonsRequired: 'ballots.reasonsRequired',
  none: 'ballots.none',
  busy: 'ballots.busy',
} as const;

export interface VoteInput {
  vote: Vote;
  /** Required when disapproving; not kept with any other vote. */
  reasons?: string;
}

/**
 * The delegation a head votes for: only a head, only of an active delegation. The systematic review's
 * answers are given by the same rule (server/review, docs/review.md).
 */
export async function votingDelegation(actor: CurrentUser): Promise<string> {
  if (actor.role !== 'head') throw new Forbidden(messages.headOnly);
  const code = actor.delegationCode;
  if (!code || !(await activeDelegationCodes()).includes(code)) throw new Forbidden(messages.noDelegation);
  return code;
}

/** The document's ballot takes votes at `now`; the deadline is checked here, sweep or no sweep. */
async function checkOpen(doc: DocumentRecord, now: Date): Promise<void> {
  const period = doc.ballotPeriod;
  if (!period) throw new InvalidTransition(messages.notOpen);
  if (doc.state !== 'ballot') {
    // The ballot is over (decided, or the document moved on): say when it closed.
    const b = await findBallot(doc);
    if (!b?.closedAt) throw new InvalidTransition(messages.notOpen);
    throw new Conflict(messages.closed, { closedAt: b.closedAt });
  }
  if (now.getTime() >= period.closesAt.getTime()) throw new Conflict(messages.closed, { closedAt: period.closesAt });
}

/**
 * The head casts (or changes) the delegation's vote on the open ballot. The vote is one conditional
 * update of the ballot as the head's request read it (open, before the deadline, unchanged since):
 * of two simultaneous votes each lands once, in turn; a vote racing the closing either lands before it
 * and is counted, or finds the ballot closed and changes nothing. The same vote again (a double click)
 * changes nothing. Each cast and change becomes a history event of the document; the vote that completes
 * the ballot closes it.
 */
export async function castVote(actor: CurrentUser, docId: string, input: VoteInput, opts: ClosingDeps & { now: Date }): Promise<{ changed: boolean; closed: boolean }> {
  const { now } = opts;
  const delegation = await votingDelegation(actor);
  const doc = await getDocument(actor, docId);
  await checkOpen(doc, now);
  const reasons = input.reasons?.trim() || null;
  if (input.vote === 'disapprove' && !reasons) throw new InvalidInput(messages.reasonsRequired, {}, { reasons: messages.reasonsRequired });
  // Reasons are kept with any vote (an approval with remarks); only a disapproval must give them.
  const position = { delegation, vote: input.vote, reasons, by: new mongoose.Types.ObjectId(actor.id), byName: actor.name };
  const { ballot, changed } = await storeVote(await ensureBallot(doc), position, now);
  let closed = false;
  const codes = await activeDelegationCodes();
  // Checked after an unchanged vote too: a double click of the last vote may find its twin's closing undone.
  if (codes.every((c) => ballot.positions.some((p) => p.delegation === c))) {
    try {
      closed = await closeBallot(opts, ballot, now);
    } catch (err) {
      // The vote is stored; the sweep finishes what closing could not.
      opts.logger?.error({ err, document: docId }, 'closing a ballot after the last vote failed');
    }
  }
  return { changed, closed };
}

/**
 * Writes the delegation's position into the ballot as it was read (open, same seq, before the deadline)
 * with the cast appended, then records the history event; a lost race reads again. The same position
 * again is no change.
 */
async function storeVote(first: BallotRecord, position: Omit<Position, 'at'>, now: Date): Promise<{ ballot: Pick<BallotRecord, '_id' | 'positions' | 'closesAt'>; changed: boolean }> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const b = attempt === 0 ? first : await Ballot.findById(first._id).select(ballotFields).lean<BallotRecord>();
    if (!b || b.status !== 'open') throw new Conflict(messages.closed, { closedAt: b?.closedAt ?? now });
    const mine = b.positions.find((p) => p.delegation === position.delegation);
    if (mine && mine.vote === position.vote && (mine.reasons ?? null) === position.reasons) return { ballot: b, changed: false };
    // Strictly after the previous cast, so that each cast's history event is told apart by its time.
    const at = new Date(Math.max(now.getTime(), (b.casts.at(-1)?.at.getTime() ?? 0) + 1));
    const cast: Cast = { ...position, at, action: mine ? 'changeVote' : 'vote', previous: mine?.vote ?? null };
    const updated = await Ballot.findOneAndUpdate(
      { _id: b._id, status: 'open', seq: b.seq, closesAt: mongoose.trusted({ $gt: now }) },
      { $set: { positions: [...b.positions.filter((p) => p.delegation !== position.delegation), { ...position, at }] }, $inc: { seq: 1 }, $push: { casts: cast } },
      { returnDocument: 'after', projection: { positions: 1, closesAt: 1 } },
    ).lean<Pick<BallotRecord, '_id' | 'positions' | 'closesAt'>>();
    if (!updated) continue; // another vote or the closing came first: read again
    await recordCast(b, cast);
    return { ballot: updated, changed: true };
  }
  throw new Conflict(messages.busy);
}

export interface BallotSummary {
  revision: number;
  round: number;
  rule: BallotRecord['rule'];
  opensAt: Date;
  closesAt: Date;
  /** open: taking votes; closed: decided; stopped: the document left the ballot without a decision (cancelled). */
  status: 'open' | 'closed' | 'stopped';
  closedAt: Date | null;
  closedBecause: BallotRecord['closedBecause'];
  result: Tally['result'];
  counts: { approve: number; disapprove: number; abstain: number; cast: number };
  /** Entitled delegations that have not voted. */
  missing: string[];
  positions: { delegation: string; vote: Vote; reasons: string | null; byName: string; at: Date; counted: boolean }[];
  casts: { delegation: string; action: Cast['action']; vote: Vote; previous: Vote | null; reasons: string | null; byName: string; at: Date }[];
}

function summarise(b: BallotRecord, doc: DocumentRecord, activeCodes: string[]): BallotSummary {
  const current = doc.state === 'ballot' && doc.ballotPeriod?.opensAt.getTime() === b.opensAt.getTime();
  const status = b.status === 'closed' ? 'closed' : current ? 'open' : 'stopped';
  const t = tallyOf(b, activeCodes);
  const entitled = new Set(b.status === 'closed' ? b.delegations : activeCodes);
  return {
    revision: b.revision,
    round: b.round,
    rule: b.rule,
    opensAt: b.opensAt,
    closesAt: b.closesAt,
    status,
    closedAt: b.closedAt ?? null,
    closedBecause: b.closedBecause ?? null,
    result: t.result,
    counts: { approve: t.approve, disapprove: t.disapprove, abstain: t.abstain, cast: t.cast },
    missing: t.missing,
    positions: [...b.positions].sort((x, y) => x.delegation.localeCompare(y.delegation)).map((p) => ({ delegation: p.delegation, vote: p.vote, reasons: p.reasons ?? null, byName: p.byName, at: p.at, counted: entitled.has(p.delegation) })),
    casts: b.casts.map((c) => ({ delegation: c.delegation, action: c.action, vote: c.vote, previous: c.previous ?? null, reasons: c.reasons ?? null, byName: c.byName, at: c.at })),
  };
}

/** Before the first vote the ballot has no record yet: what the document's ballotPeriod says. */
function notYetVoted(doc: DocumentRecord): BallotRecord {
  const p = doc.ballotPeriod!;
  const at = p.opensAt;
  return { _id: new mongoose.Types.ObjectId(), document: doc._id, opensAt: p.opensAt, closesAt: p.closesAt, revision: p.revision, round: doc.round, rule: p.rule, status: 'open', seq: 0, positions: [], casts: [], delegations: [], createdAt: at, updatedAt: at };
}

export interface BallotOfDocument {
  doc: DocumentRecord;
  current: BallotSummary;
  earlier: BallotSummary[];
  activeCodes: string[];
}

/**
 * The document's current ballot and the earlier ones, for the committee. To anyone else the ballot is
 * "not found", as an unpublished document is.
 */
export async function ballotOfDocument(actor: CurrentUser | undefined, docId: string): Promise<BallotOfDocument> {
  const doc = await getDocument(actor, docId);
  if (!seesDrafts(actor)) throw new NotFound('documents.notFound');
  if (!doc.ballotPeriod) throw new NotFound(messages.none);
  const activeCodes = await activeDelegationCodes();
  const all = await ballotsOf(doc._id);
  const isCurrent = (b: BallotRecord) => b.opensAt.getTime() === doc.ballotPeriod!.opensAt.getTime();
  const current = all.find(isCurrent) ?? notYetVoted(doc);
  return { doc, current: summarise(current, doc, activeCodes), earlier: all.filter((b) => !isCurrent(b)).map((b) => summarise(b, doc, activeCodes)), activeCodes };
}

/** Whether this person may vote on the ballot now (what the page offers; castVote decides). */
export function canVote(actor: CurrentUser | undefined, ballot: BallotOfDocument, now: Date): boolean {
  return (
    !!actor && actor.role === 'head' && !!actor.delegationCode && ballot.activeCodes.includes(actor.delegationCode) &&
    ballot.current.status === 'open' && ballot.current.closesAt.getTime() > now.getTime()
  );
}

