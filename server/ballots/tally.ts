// The arithmetic of a ballot (docs/architecture.md, «A document’s life»): a plain function over the delegations'
// positions, the delegations entitled to vote and the committee's approval rule. No I/O; tested with
// tables in test/unit/ballots/tally.test.ts.

export const votes = ['approve', 'disapprove', 'abstain'] as const;
export type Vote = (typeof votes)[number];
export type ApprovalRule = 'unanimity' | 'iso';
export type BallotResult = 'approved' | 'failed' | 'pending';

export interface TallyInput {
  /** One position per delegation; a delegation not in `delegations` does not count. */
  positions: readonly { delegation: string; vote: Vote }[];
  /** The delegations entitled to vote (the active ones). */
  delegations: readonly string[];
  rule: ApprovalRule;
  /** The ballot still takes votes: a result is given only once every delegation has voted. */
  open: boolean;
}

export interface Tally {
  result: BallotResult;
  approve: number;
  disapprove: number;
  abstain: number;
  /** Votes cast for or against: what the ISO fractions are taken of (abstentions excluded). */
  cast: number;
  /** Entitled delegations without a position. */
  missing: string[];
}

export const isVote = (v: unknown): v is Vote => (votes as readonly unknown[]).includes(v);

/**
 * Unanimity: approved when every delegation voted, none against and at least one for (an abstention does
 * not block). ISO: approved when votes for are at least two thirds of the votes cast and votes against at
 * most a quarter of them, abstentions counting in neither; nothing cast (all abstain) fails. Integer
 * arithmetic, so that «exactly two thirds» and «exactly a quarter» are decided exactly.
 */
export function tally({ positions, delegations, rule, open }: TallyInput): Tally {
  const entitled = new Set(delegations);
  const byDelegation = new Map<string, Vote>();
  for (const p of positions) if (entitled.has(p.delegation)) byDelegation.set(p.delegation, p.vote);
  const count = (v: Vote) => [...byDelegation.values()].filter((x) => x === v).length;
  const approve = count('approve');
  const disapprove = count('disapprove');
  const abstain = count('abstain');
  const cast = approve + disapprove;
  const missing = [...entitled].filter((d) => !byDelegation.has(d)).sort();
  const counts = { approve, disapprove, abstain, cast, missing };
  if (open && missing.length > 0) return { result: 'pending', ...counts };
  const approved =
    rule === 'unanimity'
      ? missing.length === 0 && disapprove === 0 && approve >= 1
      : cast > 0 && 3 * approve >= 2 * cast && 4 * disapprove <= cast;
  return { result: approved ? 'approved' : 'failed', ...counts };
}
