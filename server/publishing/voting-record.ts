// The voting record printed in a published standard's foreword. The ballot feature owns ballots; this
// adapter is the one place publication reads them, so a change there is mended here and nowhere else.
import { ballotsOf } from '../ballots/service.js';
import { listDelegations } from '../delegations/service.js';
import type { DocumentRecord } from '../documents/index.js';
import type { Vote } from '../pdf/standard-view.js';
import { dayOf } from '../time/days.js';

export type VotingRecordSource = (doc: Pick<DocumentRecord, '_id'>, revision: number) => Promise<Vote[]>;

/**
 * Each delegation's final position in the ballot that approved this revision (or, failing that, the
 * last ballot on it), in country-code order. The positions of a closed ballot never change, so the
 * record — and the PDF — come out the same on every attempt.
 */
const fromBallots: VotingRecordSource = async (doc, revision) => {
  const ballots = (await ballotsOf(doc._id)).filter((b) => b.revision === revision);
  const ballot = ballots.find((b) => b.result === 'approved') ?? ballots[0];
  if (!ballot) return [];
  const delegations = new Map((await listDelegations()).map((d) => [d.code, d]));
  return [...ballot.positions]
    .sort((a, b) => a.delegation.localeCompare(b.delegation))
    .map((p) => {
      const d = delegations.get(p.delegation);
      // The body's name as the administrator keeps it (server/delegations); the column is left out when none has one.
      return { country: d?.name.ru ?? p.delegation, code: p.delegation, ...(d?.standardsBody?.ru ? { body: d.standardsBody.ru } : {}), vote: p.vote, date: dayOf(p.at) };
    });
};

/** The votes to print; none (the foreword then prints no table) when no ballot record is known. */
export const votingRecord: VotingRecordSource = fromBallots;
