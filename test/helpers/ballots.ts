// Helpers for the ballot tests: a document with an open ballot, heads to vote, and the stored results.
import { Ballot, type BallotRecord } from '../../server/ballots/model.js';
import { DocumentModel, type DocumentRecord } from '../../server/documents/model.js';
import { transition } from './app.js';
import { actorOf, makeCirculatedDocument, makeUser, type MadeUser } from './factories.js';
import { uniqueTitle } from './comments.js';

export interface BallotFixture {
  id: string;
  secretariat: MadeUser;
  heads: { BY: MadeUser; RU: MadeUser };
}

/**
 * A document whose ballot is open (no comments, so the disposition guard lets it through), with a head
 * of each delegation. The rule is set on the document's ballot period (as openBallot took it from the
 * committee settings), so tests need not change the shared settings.
 */
export async function makeBallotDocument(opts: { rule?: 'unanimity' | 'iso'; closesAt?: Date; title?: string } = {}): Promise<BallotFixture> {
  const { id, by } = await makeCirculatedDocument({ title: opts.title ?? uniqueTitle('Станки лазерные') });
  await transition(actorOf(by), id, 'closeComments', { now: new Date() });
  await transition(actorOf(by), id, 'openBallot', { now: new Date(), closesAt: opts.closesAt ?? new Date(Date.now() + 14 * 86400_000) });
  if (opts.rule) await DocumentModel.updateOne({ _id: id }, { $set: { 'ballotPeriod.rule': opts.rule } });
  return { id, secretariat: by, heads: { BY: await makeUser('head', { delegation: 'BY' }), RU: await makeUser('head', { delegation: 'RU' }) } };
}

export async function storedDocument(id: string): Promise<DocumentRecord> {
  const d = await DocumentModel.findById(id).lean<DocumentRecord>();
  if (!d) throw new Error(`document ${id} is not stored`);
  return d;
}

/** Every ballot record of a document, oldest first. */
export async function ballotsOfDocument(id: string): Promise<BallotRecord[]> {
  return Ballot.find({ document: id }).sort({ opensAt: 1 }).lean<BallotRecord[]>();
}

/** History events of one action, in order. */
export async function eventsOf(id: string, ...actions: string[]): Promise<DocumentRecord['history']> {
  return (await storedDocument(id)).history.filter((e) => actions.includes(e.action));
}

/** Moves the deadline of the open ballot (on the document, and on its record if it has one). */
export async function setBallotDeadline(id: string, closesAt: Date): Promise<void> {
  await DocumentModel.updateOne({ _id: id }, { $set: { 'ballotPeriod.closesAt': closesAt } });
  const doc = await storedDocument(id);
  await Ballot.updateOne({ document: id, opensAt: doc.ballotPeriod!.opensAt }, { $set: { closesAt } });
}
