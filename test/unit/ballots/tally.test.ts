import assert from 'node:assert/strict';
import { tally, type ApprovalRule, type BallotResult, type Vote } from '../../../server/ballots/tally.js';

/*
 * A row's votes are written one character per delegation, in order D1, D2, …:
 *   +  approve    -  disapprove    0  abstain    .  has not voted
 * Two characters are the committee as it is (BY, RU); longer rows check the arithmetic of larger ballots.
 */
const symbol: Record<string, Vote | null> = { '+': 'approve', '-': 'disapprove', '0': 'abstain', '.': null };

function ballot(row: string) {
  const delegations = [...row].map((_, i) => (row.length === 2 ? ['BY', 'RU'][i]! : `D${i + 1}`));
  const positions = [...row].flatMap((c, i) => (symbol[c] ? [{ delegation: delegations[i]!, vote: symbol[c]! }] : []));
  return { delegations, positions };
}

type Row = [description: string, votes: string, open: boolean, result: BallotResult];

function check(rule: ApprovalRule, rows: Row[]): void {
  for (const [description, votes, open, result] of rows) {
    it(`${description}: ${votes} ${open ? '(open)' : '(closed)'} → ${result}`, () => {
      assert.equal(tally({ ...ballot(votes), rule, open }).result, result);
    });
  }
}

describe('tally: unanimity of delegations', () => {
  check('unanimity', [
    ['both approve', '++', false, 'approved'],
    ['one approves, the other abstains: abstention does not block', '+0', false, 'approved'],
    ['the other way round', '0+', false, 'approved'],
    ['all abstain: nobody approved', '00', false, 'failed'],
    ['one disapproves', '+-', false, 'failed'],
    ['a tie the other way round', '-+', false, 'failed'],
    ['both disapprove', '--', false, 'failed'],
    ['one disapproves, one abstains', '-0', false, 'failed'],
    ['one delegation missing at the deadline', '+.', false, 'failed'],
    ['one delegation missing while open', '+.', true, 'pending'],
    ['a disapproval while the other has not voted is still pending', '-.', true, 'pending'],
    ['nobody voted while open', '..', true, 'pending'],
    ['nobody voted by the deadline', '..', false, 'failed'],
    ['everyone voted while still open: decided', '++', true, 'approved'],
    ['everyone voted while still open, one against', '+-', true, 'failed'],
    ['three delegations, one abstains', '++0', false, 'approved'],
    ['three delegations, one missing', '++.', false, 'failed'],
    ['five delegations, one against', '++++-', false, 'failed'],
  ]);

  it('fails with no entitled delegation at all', () => {
    assert.equal(tally({ positions: [], delegations: [], rule: 'unanimity', open: false }).result, 'failed');
  });
});

describe('tally: the ISO rule (two thirds of votes cast in favour, at most a quarter against)', () => {
  check('iso', [
    ['both approve', '++', false, 'approved'],
    ['a tie, one for and one against', '+-', false, 'failed'],
    ['one approves, one abstains: abstentions are not votes cast', '+0', false, 'approved'],
    ['all abstain: nothing cast', '00', false, 'failed'],
    ['three abstain', '000', false, 'failed'],
    ['one against, one abstains', '-0', false, 'failed'],
    ['one delegation missing at the deadline: only votes cast count', '+.', false, 'approved'],
    ['one delegation missing while open', '+.', true, 'pending'],
    ['the only vote cast is against', '-.', false, 'failed'],
    ['nobody voted by the deadline', '..', false, 'failed'],
    ['two thirds for, one third against (more than a quarter)', '++-', false, 'failed'],
    ['exactly a quarter against', '+++-', false, 'approved'],
    ['a tie of four', '++--', false, 'failed'],
    ['exactly two thirds for, one third against', '++++--', false, 'failed'],
    ['exactly a quarter of eight against', '++++++--', false, 'approved'],
    ['two thirds passed but more than a quarter against (5:2)', '+++++--', false, 'failed'],
    ['just under a quarter against (7:2)', '+++++++--', false, 'approved'],
    ['abstentions excluded from both fractions', '+++-0000', false, 'approved'],
    ['abstentions do not rescue a tie', '+-00', false, 'failed'],
    ['everyone voted while still open: decided', '+++-', true, 'approved'],
  ]);
});

describe('tally: counting', () => {
  const counts: [votes: string, rule: ApprovalRule, expected: { approve: number; disapprove: number; abstain: number; cast: number; missing: string[] }][] = [
    ['++', 'unanimity', { approve: 2, disapprove: 0, abstain: 0, cast: 2, missing: [] }],
    ['+.', 'unanimity', { approve: 1, disapprove: 0, abstain: 0, cast: 1, missing: ['RU'] }],
    ['0-', 'iso', { approve: 0, disapprove: 1, abstain: 1, cast: 1, missing: [] }],
    ['..', 'iso', { approve: 0, disapprove: 0, abstain: 0, cast: 0, missing: ['BY', 'RU'] }],
    ['++-0.', 'iso', { approve: 2, disapprove: 1, abstain: 1, cast: 3, missing: ['D5'] }],
  ];
  for (const [votes, rule, expected] of counts) {
    it(`counts ${votes} as ${JSON.stringify(expected)}`, () => {
      const { result: _result, ...got } = tally({ ...ballot(votes), rule, open: false });
      void _result;
      assert.deepEqual(got, expected);
    });
  }

  it('ignores a position of a delegation that is not entitled to vote', () => {
    const t = tally({ positions: [{ delegation: 'BY', vote: 'approve' }, { delegation: 'RU', vote: 'approve' }, { delegation: 'KZ', vote: 'disapprove' }], delegations: ['BY', 'RU'], rule: 'unanimity', open: false });
    assert.equal(t.result, 'approved');
    assert.equal(t.disapprove, 0);
  });

  it('counts a delegation once, by its last position', () => {
    const t = tally({ positions: [{ delegation: 'BY', vote: 'disapprove' }, { delegation: 'RU', vote: 'approve' }, { delegation: 'BY', vote: 'approve' }], delegations: ['BY', 'RU'], rule: 'unanimity', open: false });
    assert.deepEqual([t.result, t.approve, t.disapprove], ['approved', 2, 0]);
  });

  it('does not depend on the order of the positions', () => {
    const { delegations, positions } = ballot('++-0+0-+');
    for (const rule of ['unanimity', 'iso'] as const) {
      const forward = tally({ delegations, positions, rule, open: false });
      const backward = tally({ delegations, positions: [...positions].reverse(), rule, open: false });
      assert.deepEqual(backward, forward);
    }
  });
});
