import assert from 'node:assert/strict';
import type { Express } from 'express';
import * as cheerio from 'cheerio';
import request from 'supertest';
import { Ballot, ballotFields, type BallotRecord } from '../../server/ballots/model.js';
import { ballotApi } from '../../server/ballots/routes.js';
import { castVote, sweepBallots } from '../../server/ballots/service.js';
import { setDisposition } from '../../server/comments/dispositions.js';
import { Comment, type CommentRecord } from '../../server/comments/model.js';
import { getRevision } from '../../server/documents/index.js';
import { transition, testSystem } from '../helpers/app.js';
import { DocumentModel } from '../../server/documents/model.js';
import { Conflict } from '../../server/errors.js';
import { openApiDocument } from '../../server/http/openapi.js';
import { signIn, tokenFor, type Agent } from '../helpers/agent.js';
import { testApp } from '../helpers/app.js';
import { actorOf, makeCirculatedDocument, makeComment, makeUser, type MadeUser } from '../helpers/factories.js';
import { alertOf } from '../helpers/comments.js';
import { ballotsOfDocument, eventsOf, makeBallotDocument, setBallotDeadline, storedDocument, type BallotFixture } from '../helpers/ballots.js';

const day = 86400_000;

describe('ballots', () => {
  let app: Express;
  before(() => {
    app = testApp();
  });

  const form = (s: { agent: Agent; csrf: string }, url: string, fields: Record<string, string> = {}) => s.agent.post(url).type('form').send({ _csrf: s.csrf, ...fields });
  const api = async (user: MadeUser) => {
    const bearer = await tokenFor(user);
    return {
      get: (url: string) => request(app).get(url).set('Authorization', `Bearer ${bearer}`),
      vote: (id: string, body: object) => request(app).post(`/api/documents/${id}/ballot/vote`).set('Authorization', `Bearer ${bearer}`).send(body),
    };
  };
  const vote = (f: BallotFixture, delegation: 'BY' | 'RU', v: 'approve' | 'disapprove' | 'abstain', reasons?: string) => castVote(actorOf(f.heads[delegation]), f.id, { vote: v, reasons }, { now: new Date(), lifecycle: testSystem().lifecycle });
  const onlyBallot = async (id: string): Promise<BallotRecord> => {
    const all = await ballotsOfDocument(id);
    assert.equal(all.length, 1);
    return all[0]!;
  };
  const positionsOf = (b: BallotRecord) => Object.fromEntries(b.positions.map((p) => [p.delegation, p.vote]));
  const closings = async (id: string) => (await eventsOf(id, 'approve', 'failBallot')).map((e) => e.action);

  describe('voting through the pages', () => {
    it('links the ballot from the document page and shows the rule, the period and who has not voted yet', async () => {
      const f = await makeBallotDocument();
      const secretariat = await signIn(app, f.secretariat);
      const docPage = cheerio.load((await secretariat.agent.get(`/documents/${f.id}`).expect(200)).text);
      assert.equal(docPage('[data-test=ballot-link]').attr('href'), `/documents/${f.id}/ballot`);

      const $ = cheerio.load((await secretariat.agent.get(`/documents/${f.id}/ballot`).expect(200)).text);
      assert.match($('[data-test=rule]').text(), /единогласие делегаций/);
      assert.match($('[data-test=status]').text(), /идёт голосование/);
      assert.match($('[data-test=result]').text(), /Ещё не определён/);
      assert.deepEqual($('[data-test=positions] tbody tr').toArray().map((tr) => $(tr).text().replace(/\s+/g, ' ').trim()), ['BY не проголосовала', 'RU не проголосовала']);
      assert.equal($('[data-test=vote-form]').length, 0, 'the secretariat does not vote');

      const member = await signIn(app, await makeUser('member', { delegation: 'BY' }));
      assert.equal(cheerio.load((await member.agent.get(`/documents/${f.id}/ballot`).expect(200)).text)('[data-test=vote-form]').length, 0, 'a member does not vote');
      const head = await signIn(app, f.heads.BY);
      assert.equal(cheerio.load((await head.agent.get(`/documents/${f.id}/ballot`).expect(200)).text)('[data-test=vote-form]').length, 1);
    });

    it('records a head’s vote with who and when, as a history event «BY: за», and lets the head change it until the ballot closes', async () => {
      const f = await makeBallotDocument();
      const head = await signIn(app, f.heads.BY);
      const reasons = 'Не согласован раздел 5 с ТР ЕАЭС 010/2011.\nСм. также <приложение А>.';
      const first = await form(head, `/documents/${f.id}/ballot/vote`, { vote: 'disapprove', reasons }).expect(303);
      assert.equal(first.headers.location, `/documents/${f.id}/ballot?voted=1`);
      let $ = cheerio.load((await head.agent.get(first.headers.location).expect(200)).text);
      assert.match($('[data-test=voted]').text(), /Голос учтён/);
      const byRow = $('[data-test=positions] tr[data-delegation=BY]').text().replace(/\s+/g, ' ');
      assert.match(byRow, /Против/);
      assert.equal($('[data-test=positions] tr[data-delegation=BY] td.ctext').text(), reasons, 'the reasons as written, escaped, lines kept');
      assert.match(byRow, new RegExp(f.heads.BY.name));
      assert.match($('[data-test=my-vote]').text(), /Против/);
      assert.equal($('input[name=vote][value=disapprove]').attr('checked'), 'checked');

      // Remarks typed with an approval are kept with it, not silently dropped.
      await form(head, `/documents/${f.id}/ballot/vote`, { vote: 'approve', reasons: 'За, с редакционным замечанием к 4.2' }).expect(303);
      $ = cheerio.load((await head.agent.get(`/documents/${f.id}/ballot`).expect(200)).text);
      assert.match($('[data-test=positions] tr[data-delegation=BY]').text(), /За/);
      assert.deepEqual($('[data-test=casts] li').toArray().map((li) => $(li).text().replace(/.*\(BY\): /s, '').trim()), ['подан голос — Против', 'изменён голос — Против → За']);

      const b = await onlyBallot(f.id);
      assert.deepEqual(b.positions.map((p) => [p.delegation, p.vote, p.reasons]), [['BY', 'approve', 'За, с редакционным замечанием к 4.2']]);
      assert.equal(b.status, 'open');
      const events = await eventsOf(f.id, 'vote', 'changeVote');
      assert.deepEqual(events.map((e) => [e.action, e.note, e.byName, String(e.by)]), [
        ['vote', 'BY: против', f.heads.BY.name, f.heads.BY.id],
        ['changeVote', 'BY: против → за', f.heads.BY.name, f.heads.BY.id],
      ]);
      // The document page's history names them too.
      const docPage = cheerio.load((await head.agent.get(`/documents/${f.id}`).expect(200)).text);
      assert.match(docPage('[data-test=history]').text(), /изменён голос[\s\S]*BY: против → за/);
      assert.equal((await storedDocument(f.id)).state, 'ballot');
    });

    it('closes when both delegations approve: the document is approved, and the result page shows positions, the rule and the result', async () => {
      const f = await makeBallotDocument();
      const by = await signIn(app, f.heads.BY);
      const ru = await signIn(app, f.heads.RU);
      await form(by, `/documents/${f.id}/ballot/vote`, { vote: 'approve' }).expect(303);
      assert.equal((await storedDocument(f.id)).state, 'ballot');
      await form(ru, `/documents/${f.id}/ballot/vote`, { vote: 'abstain' }).expect(303);

      const doc = await storedDocument(f.id);
      assert.equal(doc.state, 'approved');
      assert.equal(doc.stage, '50.60');
      assert.deepEqual(doc.history.slice(-3).map((e) => [e.action, e.note]), [
        ['vote', 'BY: за'],
        ['vote', 'RU: воздержался'],
        ['approve', 'за: 1, против: 0, воздержались: 1; правило: единогласие делегаций'],
      ]);
      const b = await onlyBallot(f.id);
      assert.deepEqual([b.status, b.closedBecause, b.result, b.delegations], ['closed', 'allVoted', 'approved', ['BY', 'RU']]);
      assert.ok(b.finishedAt);

      const $ = cheerio.load((await by.agent.get(`/documents/${f.id}/ballot`).expect(200)).text);
      assert.match($('[data-test=result]').text(), /Принят/);
      assert.match($('[data-test=status]').text(), /голосование завершено.*проголосовали все делегации/s);
      assert.match($('[data-test=counts]').text(), /за: 1, против: 0, воздержались: 1/);
      assert.match($('[data-test=rule]').text(), /единогласие делегаций/);
      assert.equal($('[data-test=vote-form]').length, 0, 'no vote form once closed');
      assert.match($('[data-test=positions] tr[data-delegation=RU]').text(), /Воздержался/);
    });

    it('shows the page in English when asked', async () => {
      const f = await makeBallotDocument();
      await vote(f, 'BY', 'approve');
      const head = await signIn(app, f.heads.RU);
      await head.agent.get('/locale/en').expect(303);
      const $ = cheerio.load((await head.agent.get(`/documents/${f.id}/ballot`).expect(200)).text);
      assert.match($('[data-test=rule]').text(), /unanimity of delegations/);
      assert.match($('[data-test=positions] tr[data-delegation=BY]').text(), /Approve/);
      assert.match($('[data-test=vote-form]').text(), /Disapprove/);
    });
  });

  describe('a failed ballot', () => {
    it('returns the document to resolution, and each disapproval’s reasons become a released comment numbered after the delegation’s own', async function () {
      this.timeout(60_000);
      // A round with a released BY comment (BY-001), disposed of, then the ballot.
      const { id, by: secretariatUser } = await makeCirculatedDocument();
      const earlier = await makeComment(id, { delegation: 'BY', clauseKey: 'safety', release: true });
      const secretariat = actorOf(secretariatUser);
      await transition(secretariat, id, 'closeComments', { now: new Date() });
      await setDisposition(secretariat, earlier.id, { decision: 'accepted' }, new Date());
      await transition(secretariat, id, 'openBallot', { now: new Date(), closesAt: new Date(Date.now() + 10 * day) });
      const f: BallotFixture = { id, secretariat: secretariatUser, heads: { BY: await makeUser('head', { delegation: 'BY' }), RU: await makeUser('head', { delegation: 'RU' }) } };
      const round = (await storedDocument(id)).round;

      const reasons = 'Требования п. 5.3 противоречат ГОСТ 12.2.009-80.';
      await vote(f, 'BY', 'disapprove', reasons);
      await vote(f, 'RU', 'approve');

      const doc = await storedDocument(id);
      assert.equal(doc.state, 'resolution');
      assert.equal(doc.stage, '30.60');
      assert.deepEqual(await closings(id), ['failBallot']);
      assert.equal((await onlyBallot(id)).result, 'failed');

      const made = await Comment.find({ document: id, round, delegation: 'BY' }).sort({ seq: 1 }).lean<CommentRecord[]>();
      assert.deepEqual(made.map((c) => c.number), ['BY-001', 'BY-002']);
      const fromBallot = made[1]!;
      const revision = await getRevision(doc, doc.ballotPeriod!.revision);
      assert.deepEqual(
        [fromBallot.type, fromBallot.status, fromBallot.text, fromBallot.clauseKey, fromBallot.revision, fromBallot.authorName, fromBallot.disposition],
        ['ge', 'released', reasons, revision.clauses[0]!.key, doc.ballotPeriod!.revision, f.heads.BY.name, null],
      );
      assert.equal(await Comment.countDocuments({ document: id, delegation: 'RU' }), 0, 'an approval makes no comment');

      // The ballot guard now asks for a disposition of the new comment, then lets the next ballot open.
      const page = await signIn(app, secretariatUser);
      const refused = await form(page, `/documents/${id}/transitions/openBallot`).expect(409);
      assert.deepEqual(cheerio.load(refused.text)('[data-test=blockers] a').toArray().map((a) => cheerio.load(a).text()), ['BY-002']);
      await setDisposition(secretariat, String(fromBallot._id), { decision: 'noted' }, new Date());
      await transition(secretariat, id, 'openBallot', { now: new Date(), closesAt: new Date(Date.now() + 10 * day) });

      // The ballot page shows the new ballot with the failed one below it.
      const $ = cheerio.load((await page.agent.get(`/documents/${id}/ballot`).expect(200)).text);
      assert.match($('[data-test=ballot] [data-test=status]').text(), /идёт голосование/);
      assert.equal($('[data-test=earlier-ballot]').length, 1);
      assert.match($('[data-test=earlier-ballot] [data-test=result]').text(), /Не принят/);
      assert.match($('[data-test=earlier-ballot] [data-test=positions]').text(), /ГОСТ 12\.2\.009-80/);
    });
  });

  describe('refusals', () => {
    it('refuses a member, a head of no delegation and the secretariat, saying why, and changes nothing', async () => {
      const f = await makeBallotDocument();
      const cases: [MadeUser, RegExp][] = [
        [await makeUser('member', { delegation: 'BY' }), /руководитель делегации/],
        [await makeUser('head'), /действующей национальной делегации/],
        [f.secretariat, /руководитель делегации/],
      ];
      for (const [user, message] of cases) {
        const res = await (await api(user)).vote(f.id, { vote: 'approve' }).expect(403);
        assert.match(res.body.error.message, message);
        const session = await signIn(app, user);
        const page = await form(session, `/documents/${f.id}/ballot/vote`, { vote: 'approve' }).expect(403);
        assert.match(page.text, message);
        await assert.rejects(castVote(actorOf(user), f.id, { vote: 'approve' }, { now: new Date(), lifecycle: testSystem().lifecycle }), (err: Error) => err.name === 'Forbidden');
      }
      assert.deepEqual(await ballotsOfDocument(f.id), []);
      assert.deepEqual(await eventsOf(f.id, 'vote', 'changeVote'), []);
    });

    it('refuses to disapprove without reasons, keeping what was chosen, and changes nothing', async () => {
      const f = await makeBallotDocument();
      const head = await signIn(app, f.heads.RU);
      const res = await form(head, `/documents/${f.id}/ballot/vote`, { vote: 'disapprove', reasons: '   ' }).expect(422);
      assert.match(alertOf(res), /должен быть обоснован/);
      const $ = cheerio.load(res.text);
      assert.match($('[data-test=vote-form] .error').text(), /должен быть обоснован/);
      assert.equal($('input[name=vote][value=disapprove]').attr('checked'), 'checked');
      const json = await (await api(f.heads.RU)).vote(f.id, { vote: 'disapprove' }).expect(422);
      assert.match(json.body.error.fields.reasons, /обоснован/);
      const unknown = await (await api(f.heads.RU)).vote(f.id, { vote: 'yes' }).expect(422);
      assert.ok(unknown.body.error.fields.vote);
      const operator = await (await api(f.heads.RU)).vote(f.id, { vote: { $ne: 'x' } }).expect(422);
      assert.ok(operator.body.error.fields.vote);
      assert.deepEqual(await ballotsOfDocument(f.id), []);
      assert.deepEqual(await eventsOf(f.id, 'vote'), []);
    });

    it('refuses a vote after the deadline, even before the sweep has closed the ballot, and after closing', async () => {
      const f = await makeBallotDocument();
      await vote(f, 'BY', 'approve');
      await setBallotDeadline(f.id, new Date(Date.now() - 60_000));
      const late = await (await api(f.heads.RU)).vote(f.id, { vote: 'approve' }).expect(409);
      assert.match(late.body.error.message, /Голосование завершено .*\(UTC\+3\)\. Голос не принят/);
      // A change by the head who already voted is refused alike.
      await (await api(f.heads.BY)).vote(f.id, { vote: 'abstain' }).expect(409);
      assert.deepEqual(positionsOf(await onlyBallot(f.id)), { BY: 'approve' });

      await sweepBallots(testSystem(), new Date());
      assert.equal((await storedDocument(f.id)).state, 'resolution', 'unanimity: RU did not vote');
      const head = await signIn(app, f.heads.RU);
      const page = await form(head, `/documents/${f.id}/ballot/vote`, { vote: 'approve' }).expect(409);
      assert.match(alertOf(page), /Голосование завершено/);
      assert.deepEqual(positionsOf(await onlyBallot(f.id)), { BY: 'approve' });
      assert.equal((await eventsOf(f.id, 'vote', 'changeVote')).length, 1);
    });

    it('refuses a vote on a document that has no ballot, and shows no ballot page for it', async () => {
      const { id } = await makeCirculatedDocument();
      const head = await makeUser('head', { delegation: 'BY' });
      const res = await (await api(head)).vote(id, { vote: 'approve' }).expect(409);
      assert.match(res.body.error.message, /не идёт голосование/);
      const session = await signIn(app, head);
      await session.agent.get(`/documents/${id}/ballot`).expect(404);
      await (await api(head)).get(`/api/documents/${id}/ballot`).expect(404);
      assert.equal(cheerio.load((await session.agent.get(`/documents/${id}`).expect(200)).text)('[data-test=ballot-link]').length, 0);
    });

    it('shows the ballot to the committee only: a manufacturer and an anonymous visitor are told it is not found', async () => {
      const f = await makeBallotDocument();
      await vote(f, 'BY', 'disapprove', 'Причины');
      const manufacturer = await makeUser('manufacturer');
      await (await api(manufacturer)).get(`/api/documents/${f.id}/ballot`).expect(404);
      await request(app).get(`/documents/${f.id}/ballot`).expect(404);
      await request(app).get(`/api/documents/${f.id}/ballot`).expect(404);
      for (const role of ['member', 'secretariat', 'administrator'] as const) {
        const user = await makeUser(role, role === 'member' ? { delegation: 'RU' } : {});
        const json = (await (await api(user)).get(`/api/documents/${f.id}/ballot`).expect(200)).body;
        assert.equal(json.ballot.positions[0].reasons, 'Причины');
      }
    });
  });

  describe('closing at the deadline', () => {
    it('leaves an open ballot alone before its deadline and closes it after: unanimity fails with a delegation missing', async () => {
      const closesAt = new Date(Date.now() + 5 * day);
      const f = await makeBallotDocument({ closesAt });
      await vote(f, 'BY', 'approve');
      await sweepBallots(testSystem(), new Date(closesAt.getTime() - 1000));
      assert.equal((await onlyBallot(f.id)).status, 'open');
      assert.equal((await storedDocument(f.id)).state, 'ballot');

      const r = await sweepBallots(testSystem(), new Date(closesAt.getTime() + 1000));
      assert.ok(r.closed >= 1);
      const b = await onlyBallot(f.id);
      assert.deepEqual([b.status, b.closedBecause, b.result], ['closed', 'deadline', 'failed']);
      assert.equal((await storedDocument(f.id)).state, 'resolution');
      assert.equal(await Comment.countDocuments({ document: f.id }), 0, 'no disapproval, no comment');
    });

    it('approves under the ISO rule with one delegation missing at the deadline', async () => {
      const f = await makeBallotDocument({ rule: 'iso' });
      await vote(f, 'RU', 'approve');
      await sweepBallots(testSystem(), new Date(Date.now() + 30 * day));
      assert.equal((await storedDocument(f.id)).state, 'approved');
      const b = await onlyBallot(f.id);
      assert.deepEqual([b.rule, b.result], ['iso', 'approved']);
      const json = (await (await api(f.heads.BY)).get(`/api/documents/${f.id}/ballot`).expect(200)).body;
      assert.deepEqual([json.state, json.ballot.result, json.ballot.rule, json.ballot.counts.cast], ['approved', 'approved', 'iso', 1]);
    });

    it('fails a ballot nobody voted on (and makes its record)', async () => {
      const f = await makeBallotDocument({ rule: 'iso' });
      await sweepBallots(testSystem(), new Date(Date.now() + 30 * day));
      assert.equal((await storedDocument(f.id)).state, 'resolution');
      assert.equal((await onlyBallot(f.id)).result, 'failed');
    });

    it('finishes a ballot that was closed but whose document was not moved, once, on the next sweep', async () => {
      const f = await makeBallotDocument();
      await vote(f, 'BY', 'disapprove', 'Обоснование BY');
      // A crash right after the closing update: the ballot is closed, nothing else happened.
      const b = await onlyBallot(f.id);
      await Ballot.updateOne({ _id: b._id }, { $set: { status: 'closed', closedAt: new Date(), closedBecause: 'deadline', delegations: ['BY', 'RU'] } });
      assert.equal((await storedDocument(f.id)).state, 'ballot');
      const r = await sweepBallots(testSystem(), new Date());
      assert.ok(r.finished >= 1);
      assert.equal((await storedDocument(f.id)).state, 'resolution');
      assert.equal(await Comment.countDocuments({ document: f.id, delegation: 'BY' }), 1);

      // A crash after the comments were made but before the move: the next sweep moves it and makes no second comment.
      await DocumentModel.updateOne({ _id: f.id }, { $set: { state: 'ballot' } });
      await Ballot.updateOne({ _id: b._id }, { $set: { finishedAt: null } });
      await sweepBallots(testSystem(), new Date());
      await sweepBallots(testSystem(), new Date());
      assert.equal((await storedDocument(f.id)).state, 'resolution');
      assert.equal(await Comment.countDocuments({ document: f.id, delegation: 'BY' }), 1);
      assert.ok((await onlyBallot(f.id)).finishedAt);
    });

    it('closes a ballot whose last vote was stored but did not get to close it', async () => {
      const f = await makeBallotDocument();
      await vote(f, 'BY', 'approve');
      // The last vote, written as castVote writes it, without the closing that follows it.
      const b = await onlyBallot(f.id);
      await Ballot.updateOne({ _id: b._id }, { $push: { positions: { delegation: 'RU', vote: 'approve', by: f.heads.RU.id, byName: f.heads.RU.name, at: new Date() } }, $inc: { seq: 1 } });
      await sweepBallots(testSystem(), new Date());
      assert.equal((await storedDocument(f.id)).state, 'approved');
      assert.equal((await onlyBallot(f.id)).closedBecause, 'allVoted');
    });
  });

  describe('concurrency', () => {
    it('takes two heads voting at once: both votes count, the document moves once', async () => {
      for (let i = 0; i < 3; i++) {
        const f = await makeBallotDocument();
        const results = await Promise.all([vote(f, 'BY', 'approve'), vote(f, 'RU', 'approve')]);
        assert.deepEqual(results.map((r) => r.changed), [true, true]);
        assert.equal(results.filter((r) => r.closed).length, 1, 'one of them closed the ballot');
        const b = await onlyBallot(f.id);
        assert.deepEqual(positionsOf(b), { BY: 'approve', RU: 'approve' });
        assert.equal(b.casts.length, 2);
        assert.equal((await storedDocument(f.id)).state, 'approved');
        assert.deepEqual(await closings(f.id), ['approve']);
        assert.deepEqual((await eventsOf(f.id, 'vote')).map((e) => e.note).sort(), ['BY: за', 'RU: за']);
      }
    });

    it('takes two heads voting at once through the API', async () => {
      const f = await makeBallotDocument();
      const [by, ru] = [await api(f.heads.BY), await api(f.heads.RU)];
      const [a, b] = await Promise.all([by.vote(f.id, { vote: 'approve' }), ru.vote(f.id, { vote: 'disapprove', reasons: 'Против по п. 4' })]);
      assert.deepEqual([a.status, b.status], [200, 200]);
      assert.equal((await storedDocument(f.id)).state, 'resolution');
      assert.deepEqual(await closings(f.id), ['failBallot']);
      assert.equal(await Comment.countDocuments({ document: f.id, delegation: 'RU' }), 1);
    });

    it('counts a vote arriving while the job closes the ballot either fully or not at all', async () => {
      for (let i = 0; i < 6; i++) {
        const f = await makeBallotDocument();
        await vote(f, 'BY', 'approve');
        const [voted] = await Promise.allSettled([vote(f, 'RU', 'approve'), sweepBallots(testSystem(), new Date(Date.now() + 30 * day))]);
        const b = await onlyBallot(f.id);
        const doc = await storedDocument(f.id);
        const counted = 'RU' in positionsOf(b);
        if (voted.status === 'rejected') assert.ok(voted.reason instanceof Conflict, String(voted.reason));
        assert.equal(voted.status === 'fulfilled', counted, 'a vote is accepted exactly when it is in the closed ballot');
        assert.equal(b.status, 'closed');
        assert.equal(doc.state, counted ? 'approved' : 'resolution');
        assert.equal(b.result, counted ? 'approved' : 'failed');
        assert.equal((await closings(f.id)).length, 1);
        assert.equal((await eventsOf(f.id, 'vote')).length, counted ? 2 : 1);
      }
    });

    it('decides a change of vote racing the other delegation’s closing vote one way, consistently', async () => {
      for (let i = 0; i < 4; i++) {
        const f = await makeBallotDocument();
        await vote(f, 'BY', 'disapprove', 'Сначала против');
        const [change] = await Promise.allSettled([vote(f, 'BY', 'approve'), vote(f, 'RU', 'approve')]);
        const b = await onlyBallot(f.id);
        const changed = change.status === 'fulfilled';
        assert.equal(b.status, 'closed');
        assert.equal(positionsOf(b).BY, changed ? 'approve' : 'disapprove');
        assert.equal((await storedDocument(f.id)).state, changed ? 'approved' : 'resolution');
        assert.equal((await eventsOf(f.id, 'changeVote')).length, changed ? 1 : 0);
        assert.equal(await Comment.countDocuments({ document: f.id }), changed ? 0 : 1);
        assert.equal((await closings(f.id)).length, 1);
      }
    });

    it('takes a double click as one vote', async () => {
      const f = await makeBallotDocument();
      const by = await api(f.heads.BY);
      const body = { vote: 'disapprove', reasons: 'Дважды нажато' };
      const [a, b] = await Promise.all([by.vote(f.id, body), by.vote(f.id, body)]);
      assert.deepEqual([a.status, b.status], [200, 200]);
      assert.deepEqual([a.body.changed, b.body.changed].sort(), [false, true]);
      const ballot = await onlyBallot(f.id);
      assert.deepEqual([ballot.positions.length, ballot.casts.length], [1, 1]);
      assert.deepEqual((await eventsOf(f.id, 'vote', 'changeVote')).map((e) => e.action), ['vote']);

      // The closing vote clicked twice: one vote, one move.
      const ru = await api(f.heads.RU);
      const [c, d] = await Promise.all([ru.vote(f.id, { vote: 'approve' }), ru.vote(f.id, { vote: 'approve' })]);
      assert.ok([c.status, d.status].includes(200));
      for (const r of [c, d]) assert.ok(r.status === 200 || (r.status === 409 && /завершено/.test(r.body.error.message)), `${r.status} ${JSON.stringify(r.body)}`);
      const closed = await onlyBallot(f.id);
      assert.deepEqual([closed.positions.length, closed.casts.length], [2, 2]);
      assert.deepEqual(await closings(f.id), ['failBallot']);
      assert.equal((await eventsOf(f.id, 'vote')).length, 2);
    });

    it('keeps one position per delegation when two of its heads vote at once: the later is a change of the earlier', async () => {
      const f = await makeBallotDocument();
      const second = await makeUser('head', { delegation: 'BY' });
      await Promise.all([vote(f, 'BY', 'approve'), castVote(actorOf(second), f.id, { vote: 'abstain' }, { now: new Date(), lifecycle: testSystem().lifecycle })]);
      const b = await onlyBallot(f.id);
      assert.equal(b.positions.length, 1);
      assert.deepEqual(b.casts.map((c) => c.action), ['vote', 'changeVote']);
      assert.equal(b.positions[0]!.vote, b.casts[1]!.vote);
      assert.equal(b.casts[1]!.previous, b.casts[0]!.vote);
      assert.deepEqual((await eventsOf(f.id, 'vote', 'changeVote')).map((e) => e.action), ['vote', 'changeVote']);
    });
  });

  describe('the JSON API', () => {
    it('votes and reads the ballot with a token', async () => {
      const f = await makeBallotDocument();
      const by = await api(f.heads.BY);
      const first = (await by.vote(f.id, { vote: 'abstain' }).expect(200)).body;
      assert.deepEqual([first.changed, first.closed, first.state], [true, false, 'ballot']);
      assert.deepEqual(first.ballot.positions.map((p: { delegation: string; vote: string }) => [p.delegation, p.vote]), [['BY', 'abstain']]);
      assert.deepEqual(first.ballot.missing, ['RU']);
      assert.equal(first.ballot.result, 'pending');

      const last = (await (await api(f.heads.RU)).vote(f.id, { vote: 'approve' }).expect(200)).body;
      assert.deepEqual([last.changed, last.closed, last.state, last.ballot.status, last.ballot.result, last.ballot.closedBecause], [true, true, 'approved', 'closed', 'approved', 'allVoted']);
      const read = (await by.get(`/api/documents/${f.id}/ballot`).expect(200)).body;
      assert.deepEqual(read.ballot.casts.map((c: { delegation: string; action: string }) => `${c.delegation}:${c.action}`), ['BY:vote', 'RU:vote']);
      assert.deepEqual(read.earlier, []);
    });

    it('describes both operations for the OpenAPI document', () => {
      const doc = openApiDocument(ballotApi, { title: 't', version: '1' }, { kinds: [], productGroups: [] });
      assert.deepEqual(Object.keys(doc.paths).sort(), ['/api/documents/{id}/ballot', '/api/documents/{id}/ballot/vote']);
      const post = (doc.paths['/api/documents/{id}/ballot/vote'] as Record<string, { requestBody?: unknown }>).post!;
      assert.ok(post.requestBody);
    });
  });

  it('reads stored ballots with a projection of the model’s own fields', async () => {
    // The fields the service names are the model's: a field added to one and not the other is caught here.
    const schemaFields = Object.keys(Ballot.schema.paths).map((p) => p.split('.')[0]!).filter((p) => p !== '_id' && p !== '__v');
    assert.deepEqual([...new Set(schemaFields)].sort(), Object.keys(ballotFields).sort());
  });
});
