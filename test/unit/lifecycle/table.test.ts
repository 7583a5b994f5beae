import assert from 'node:assert/strict';
import {
  checkTransition, DOCUMENT_STATES, factsFor, findTransition, GUARDS, STATES, stageOf, transitionsFrom, TRANSITIONS,
  type Actor, type DocumentState, type WorkflowContext,
} from '../../../server/lifecycle/table.js';

const ready: WorkflowContext = { openComments: 0, revisionIssues: 0, qualityErrors: 0, qualityWarnings: 0, warningsAccepted: false, deadlinePassed: true, ballotResult: 'approved' };

describe('workflow: the table', () => {
  const stages: Array<[DocumentState, number, string]> = [
    ['draft', 0, '20.20'], ['comment', 1, '30.20'], ['comment', 2, '40.20'], ['resolution', 1, '30.60'],
    ['resolution', 3, '40.60'], ['ballot', 2, '50.20'], ['approved', 2, '50.60'], ['published', 2, '60.60'],
    ['withdrawn', 2, '95.99'], ['cancelled', 1, '20.98'],
  ];
  for (const [state, round, stage] of stages) {
    it(`gives ${state} in round ${round} the stage ${stage}`, () => assert.equal(stageOf(state, round), stage));
  }

  it('ends at cancelled and withdrawn', () => {
    assert.deepEqual(DOCUMENT_STATES.filter((s) => STATES[s].terminal), ['withdrawn', 'cancelled']);
    assert.deepEqual(transitionsFrom('cancelled'), []);
    assert.deepEqual(transitionsFrom('withdrawn'), []);
  });

  it('lets only drafts be edited and only published or withdrawn documents be seen by the public', () => {
    assert.deepEqual(DOCUMENT_STATES.filter((s) => STATES[s].editable), ['draft']);
    assert.deepEqual(DOCUMENT_STATES.filter((s) => STATES[s].public), ['published', 'withdrawn']);
  });

  it('has one transition per name and state, and every guard it names exists', () => {
    const pairs = TRANSITIONS.map((t) => `${t.from}:${t.name}`);
    assert.equal(new Set(pairs).size, pairs.length);
    for (const t of TRANSITIONS) for (const g of t.guards) assert.ok(g in GUARDS);
  });

  it('reaches every state from draft', () => {
    const reached = new Set<DocumentState>(['draft']);
    for (let grew = true; grew;) {
      grew = false;
      for (const t of TRANSITIONS) if (reached.has(t.from) && !reached.has(t.to)) { reached.add(t.to); grew = true; }
    }
    assert.deepEqual([...reached].sort(), [...DOCUMENT_STATES].sort());
  });

  it('lists the moves out of a state', () => {
    assert.deepEqual(transitionsFrom('resolution').map((t) => t.name), ['newRound', 'openBallot', 'cancel']);
    assert.deepEqual(findTransition('published', 'amend')?.effects, ['startSuccessor']);
    assert.equal(findTransition('draft', 'publish'), undefined);
  });
});

describe('workflow: checkTransition', () => {
  type Case = [string, DocumentState | string, string, Actor, Partial<WorkflowContext>, number, string];
  const allowed: Case[] = [
    ['circulates a valid draft as round 1', 'draft', 'circulate', 'secretariat', {}, 0, 'comment 30.20 r1'],
    ['circulates the second round at the enquiry stage', 'draft', 'circulate', 'secretariat', {}, 1, 'comment 40.20 r2'],
    ['closes comments early', 'comment', 'closeComments', 'secretariat', { deadlinePassed: false }, 1, 'resolution 30.60 r1'],
    ['closes comments at the deadline', 'comment', 'commentDeadline', 'system', {}, 2, 'resolution 40.60 r2'],
    ['starts another round', 'resolution', 'newRound', 'secretariat', { openComments: 3 }, 1, 'draft 20.20 r1'],
    ['opens the ballot when every comment is disposed of', 'resolution', 'openBallot', 'secretariat', {}, 2, 'ballot 50.20 r2'],
    ['approves from the tally', 'ballot', 'approve', 'system', {}, 2, 'approved 50.60 r2'],
    ['returns a failed ballot to resolution', 'ballot', 'failBallot', 'system', { ballotResult: 'failed' }, 2, 'resolution 40.60 r2'],
    ['publishes', 'approved', 'publish', 'secretariat', {}, 2, 'published 60.60 r2'],
    ['amends while staying published', 'published', 'amend', 'secretariat', {}, 2, 'published 60.60 r2'],
    ['withdraws', 'published', 'withdraw', 'secretariat', {}, 2, 'withdrawn 95.99 r2'],
    ['withdraws a superseded document', 'published', 'supersede', 'system', {}, 2, 'withdrawn 95.99 r2'],
    ['cancels during a ballot', 'ballot', 'cancel', 'secretariat', {}, 2, 'cancelled 20.98 r2'],
  ];
  for (const [what, state, name, actor, ctx, round, expect] of allowed) {
    it(what, () => {
      const r = checkTransition({ state, name, actor, context: { ...ready, ...ctx }, round });
      assert.ok(r.ok, JSON.stringify(r));
      assert.equal(`${r.to} ${r.stage} r${r.round}`, expect);
    });
  }

  const refused: Case[] = [
    ['an unknown transition', 'draft', 'teleport', 'secretariat', {}, 0, 'unknown'],
    ['an unknown state', 'limbo', 'circulate', 'secretariat', {}, 0, 'unknown'],
    ['publishing a draft', 'draft', 'publish', 'secretariat', {}, 0, 'notAllowedFromState'],
    ['anything after cancellation', 'cancelled', 'circulate', 'secretariat', {}, 1, 'notAllowedFromState'],
    ['anything after withdrawal', 'withdrawn', 'amend', 'secretariat', {}, 1, 'notAllowedFromState'],
    ['the secretariat approving by hand', 'ballot', 'approve', 'secretariat', {}, 1, 'forbiddenActor'],
    ['the system circulating', 'draft', 'circulate', 'system', {}, 0, 'forbiddenActor'],
    ['circulating a revision with problems', 'draft', 'circulate', 'secretariat', { revisionIssues: 2 }, 0, 'guard:revisionValid'],
    ['a ballot while comments lack a disposition', 'resolution', 'openBallot', 'secretariat', { openComments: 1 }, 1, 'guard:everyCommentDisposed'],
    ['closing at a deadline not yet passed', 'comment', 'commentDeadline', 'system', { deadlinePassed: false }, 1, 'guard:deadlinePassed'],
    ['approving a pending ballot', 'ballot', 'approve', 'system', { ballotResult: 'pending' }, 1, 'guard:ballotApproved'],
    ['failing an approved ballot', 'ballot', 'failBallot', 'system', {}, 1, 'guard:ballotFailed'],
  ];
  for (const [what, state, name, actor, ctx, round, reason] of refused) {
    it(`refuses ${what} (${reason})`, () => {
      const r = checkTransition({ state, name, actor, context: { ...ready, ...ctx }, round });
      assert.equal(r.ok, false);
      if (r.ok) return;
      assert.equal(r.guard ? `${r.reason}:${r.guard}` : r.reason, reason);
      assert.ok(r.message.length > 0);
    });
  }

  it('marks the transitions that freeze the revision', () => {
    assert.deepEqual(TRANSITIONS.filter((t) => t.effects.includes('freezeRevision')).map((t) => t.name), ['circulate', 'openBallot']);
  });

  it('names, for each move, only the fact sources its own guards read', () => {
    assert.deepEqual(factsFor(findTransition('resolution', 'openBallot')!).sort(), ['comments', 'revision']);
    assert.deepEqual(factsFor(findTransition('draft', 'circulate')!), ['revision']);
    assert.deepEqual(factsFor(findTransition('comment', 'commentDeadline')!), ['period']);
    assert.deepEqual(factsFor(findTransition('ballot', 'approve')!), ['ballot']);
    assert.deepEqual(factsFor(findTransition('approved', 'publish')!), ['revision']);
    for (const name of ['closeComments', 'newRound', 'cancel', 'withdraw']) {
      for (const t of TRANSITIONS.filter((x) => x.name === name)) assert.deepEqual(factsFor(t), [], `${t.from} ${name}`);
    }
  });

  it('marks the moves that only their own use-case makes', () => {
    assert.deepEqual(TRANSITIONS.filter((t) => t.dedicated).map((t) => t.name), ['publish', 'amend', 'withdraw', 'supersede']);
  });
});
