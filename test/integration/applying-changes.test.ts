// Applying an accepted comment's proposed change to the next revision (docs/applying-changes.md).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import * as cheerio from 'cheerio';
import { signIn, tokenFor, type Agent } from '../helpers/agent.js';
import { drainNotices, testApp, transition } from '../helpers/app.js';
import { actorOf } from '../helpers/factories.js';
import { binaryParser, releaseAs, roundOfComments, storedComment, writeComment, type Round } from '../helpers/comments.js';
import { setDisposition, type Decision } from '../../server/comments/index.js';
import { DocumentModel, Revision } from '../../server/documents/model.js';
import { Comment } from '../../server/comments/model.js';

const PROPOSAL = 'Заменить «правила приёмки» на «правила приёмки, сертификации»';

/** The fields of the page's apply form, as a browser would send them unchanged. */
function formFields(html: string): Record<string, string> {
  const $ = cheerio.load(html);
  const out: Record<string, string> = {};
  $('form[data-test=apply-form]').find('input[name], textarea[name], select[name]').each((_, el) => {
    const e = $(el);
    const name = e.attr('name')!;
    if (e.is('input[type=checkbox]') && !e.is(':checked')) return;
    if (e.is('textarea')) out[name] = e.text();
    else if (e.is('select')) out[name] = e.find('option:selected').attr('value') ?? '';
    else out[name] = e.attr('value') ?? '';
  });
  return out;
}

async function revisionsOf(id: string) {
  return Revision.find({ document: id }).sort({ number: 1 }).lean();
}

describe('applying an accepted comment to the next revision', () => {
  let app: Express;
  before(() => {
    app = testApp();
  });
  // The mails of the rounds made here (release, circulation) go before the suite's database closes.
  // Late in a full run a notice goes to many people: the drain gets the time a test gets.
  after(async function () {
    this.timeout(120_000);
    await drainNotices();
  });

  /** A round in resolution whose BY comments have these dispositions (all with a proposed change on «scope»). */
  async function resolvedRound(decisions: Decision[], opts: { proposal?: string } = {}): Promise<{ round: Round; ids: string[]; s: { agent: Agent; csrf: string } }> {
    const round = await roundOfComments();
    const comments = [];
    for (const _ of decisions) comments.push(await writeComment(round.id, round.members.BY, { clauseKey: 'scope', text: 'Распространить на сертификацию.', proposedChange: opts.proposal ?? PROPOSAL }));
    await releaseAs(round.id, 'BY');
    await transition(actorOf(round.secretariat), round.id, 'closeComments', { now: new Date() });
    for (const [i, c] of comments.entries()) {
      const d = decisions[i]!;
      await setDisposition(actorOf(round.secretariat), String(c._id), { decision: d, reason: d === 'rejected' || d === 'partially' ? 'Потому что.' : undefined }, new Date());
    }
    return { round, ids: comments.map((c) => String(c._id)), s: await signIn(app, round.secretariat) };
  }

  it('opens the next revision on confirmation only, and links the comment and the redline both ways', async () => {
    const { round, ids: [id], s } = await resolvedRound(['accepted']);
    const url = `/documents/${round.id}/comments/${id}/apply`;
    const comment = cheerio.load((await s.agent.get(`/documents/${round.id}/comments/${id}`).expect(200)).text);
    assert.equal(comment('[data-test=apply-link]').attr('href'), url);

    const page = await s.agent.get(url).expect(200);
    const $ = cheerio.load(page.text);
    assert.match($('[data-test=opening]').text(), /редакция 2/);
    assert.match($('[data-test=proposed-change]').text(), /правила приёмки, сертификации/);
    const fields = formFields(page.text);
    assert.match(fields.body!, /правила приёмки, сертификации и методы контроля/);
    assert.equal(fields.revision, '2');
    // Reading the page changes nothing: no revision, no move.
    assert.equal((await revisionsOf(round.id)).length, 1);
    assert.equal((await DocumentModel.findById(round.id).lean())!.state, 'resolution');

    // The secretariat edits the suggestion before confirming.
    const body = fields.body!.replace('правила приёмки, сертификации', 'правила приёмки и сертификации');
    const done = await s.agent.post(url).type('form').send({ ...fields, body, _csrf: s.csrf }).expect(303);
    assert.equal(done.headers.location, `/documents/${round.id}/comments/${id}?applied=1#disposition`);

    const doc = (await DocumentModel.findById(round.id).lean())!;
    assert.equal(doc.state, 'draft');
    assert.equal(doc.currentRevision, 2);
    const [r1, r2] = await revisionsOf(round.id);
    assert.doesNotMatch(r1!.clauses.find((c) => c.key === 'scope')!.body!, /сертификации/);
    assert.match(r2!.clauses.find((c) => c.key === 'scope')!.body!, /правила приёмки и сертификации и методы контроля/);
    assert.equal(r2!.edits.at(-1)!.comment, id);
    const stored = await storedComment(id!);
    assert.equal(stored.disposition!.decision, 'accepted');
    assert.equal(stored.disposition!.appliedInRevision, 2);
    assert.equal(stored.disposition!.appliedClauseKey, 'scope');
    assert.equal(stored.disposition!.appliedByName, round.secretariat.name);
    assert.ok(stored.disposition!.appliedAt instanceof Date);

    // The comment page links to the clause in the redline; the redline links back to the comment.
    const shown = cheerio.load((await s.agent.get(`/documents/${round.id}/comments/${id}?applied=1`).expect(200)).text);
    assert.match(shown('[data-test=applied-notice]').text(), /редакцию 2/);
    const redline = shown('[data-test=applied] a').attr('href')!;
    assert.equal(redline, `/documents/${round.id}/compare?from=1&to=2#clause-scope`);
    assert.equal(shown('[data-test=apply-link]').length, 0);
    const member = await signIn(app, round.members.RU);
    for (const who of [s, member]) {
      const cmp = cheerio.load((await who.agent.get(redline.replace(/#.*/, '')).expect(200)).text);
      const row = cmp('#clause-scope');
      assert.equal(row.length, 1);
      assert.equal(row.find('[data-test=applied-comments] a').attr('href'), `/documents/${round.id}/comments/${id}`);
      assert.equal(row.find('[data-test=applied-comments] a').text(), stored.number);
    }
    // The redline's PDF names the comment at the clause too.
    const pdf = await s.agent.get(`/documents/${round.id}/compare/pdf?from=1&to=2`).buffer(true).parse(binaryParser).expect(200);
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'redline-')), 'r.pdf');
    writeFileSync(file, pdf.body as Buffer);
    assert.match(execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }), new RegExp(`Изменено по замечанию ${stored.number}`));
  });

  it('applies only accepted and partially accepted comments that propose a change, and says why not', async () => {
    const { round, ids, s } = await resolvedRound(['rejected', 'noted', 'referred', 'partially']);
    for (const id of ids.slice(0, 3)) {
      const page = await s.agent.get(`/documents/${round.id}/comments/${id}/apply`).expect(409);
      assert.match(page.text, /только принятое или частично принятое/);
      await s.agent.post(`/documents/${round.id}/comments/${id}/apply`).type('form').send({ _csrf: s.csrf, revision: '2', version: '0', kind: 'section', heading: 'X' }).expect(409);
      assert.equal((await storedComment(id)).disposition!.appliedClauseKey, null);
    }
    // «referred» still waits for its meeting: the partially accepted one cannot start the next round yet.
    const partially = ids[3]!;
    const fields = formFields((await s.agent.get(`/documents/${round.id}/comments/${partially}/apply`).expect(200)).text);
    const refused = await s.agent.post(`/documents/${round.id}/comments/${partially}/apply`).type('form').send({ ...fields, _csrf: s.csrf }).expect(409);
    assert.match(refused.text, /вынесенные на обсуждение/);
    assert.equal((await revisionsOf(round.id)).length, 1);
    assert.equal((await DocumentModel.findById(round.id).lean())!.state, 'resolution');

    const plain = await resolvedRound(['accepted'], { proposal: ' ' });
    const none = await plain.s.agent.get(`/documents/${plain.round.id}/comments/${plain.ids[0]}/apply`).expect(409);
    assert.match(none.text, /нет предложенного изменения/);
  });

  it('a refused clause edit opens nothing and changes nothing, and comes back with what was typed', async () => {
    const { round, ids: [id], s } = await resolvedRound(['accepted']);
    const url = `/documents/${round.id}/comments/${id}/apply`;
    const fields = formFields((await s.agent.get(url).expect(200)).text);
    const refused = await s.agent.post(url).type('form').send({ ...fields, body: 'Мой текст', annex: 'normative', unnumbered: 'on', _csrf: s.csrf }).expect(422);
    assert.match(cheerio.load(refused.text)('form[data-test=apply-form] textarea[name=body]').text(), /Мой текст/);
    assert.equal((await revisionsOf(round.id)).length, 1);
    assert.equal((await DocumentModel.findById(round.id).lean())!.state, 'resolution');
    assert.equal((await storedComment(id!)).disposition!.appliedClauseKey, null);
    // A browser is sent back to the page (post/redirect/get), which shows the refusal and the typed text once.
    const back = await s.agent.post(url).set({ 'Sec-Fetch-Mode': 'navigate', 'Sec-Fetch-Site': 'same-origin', Referer: `http://127.0.0.1${url}` }).type('form').send({ ...fields, body: 'Мой текст', annex: 'normative', unnumbered: 'on', _csrf: s.csrf }).expect(303);
    assert.equal(back.headers.location, url);
    const again = cheerio.load((await s.agent.get(url).expect(200)).text);
    assert.match(again('form[data-test=apply-form] textarea[name=body]').text(), /Мой текст/);
    assert.ok(again('[role=alert]').length > 0);
  });

  it('applies into the revision already open, and refuses a second application of the same comment', async () => {
    const { round, ids: [first, second], s } = await resolvedRound(['accepted', 'partially']);
    const apply = async (id: string) => {
      const url = `/documents/${round.id}/comments/${id}/apply`;
      const fields = formFields((await s.agent.get(url).expect(200)).text);
      return s.agent.post(url).type('form').send({ ...fields, _csrf: s.csrf });
    };
    (await apply(first!)).status === 303 || assert.fail('first applied');
    assert.equal((await revisionsOf(round.id)).length, 2);
    // The second goes into revision 2, open since the first: no revision 3.
    const page = cheerio.load((await s.agent.get(`/documents/${round.id}/comments/${second}/apply`).expect(200)).text);
    assert.match(page('[data-test=opening]').text(), /открытую для правки редакцию 2/);
    // The page has no reference chooser, and its markup hint does not send anyone looking for one.
    assert.doesNotMatch(page('main').text(), /Сослаться на пункт/);
    assert.match(page('main').text(), /Ссылки на пункты выглядят здесь как \[\[ref:…\]\]/);
    assert.equal((await apply(second!)).status, 303);
    assert.equal((await revisionsOf(round.id)).length, 2);
    assert.equal((await storedComment(second!)).disposition!.appliedInRevision, 2);
    const r2 = (await revisionsOf(round.id))[1]!;
    assert.deepEqual(r2.edits.map((e) => e.comment), [first, second]);

    // Applied once: the page and the confirmation refuse again, and the revision stays as it is.
    const version = r2.version;
    const again = await s.agent.get(`/documents/${round.id}/comments/${first}/apply`).expect(409);
    assert.match(again.text, /уже учтено в редакции 2/);
    await s.agent.post(`/documents/${round.id}/comments/${first}/apply`).type('form').send({ _csrf: s.csrf, revision: '2', version: String(version), kind: 'section', heading: 'Область применения', body: 'Иначе' }).expect(409);
    assert.equal((await revisionsOf(round.id))[1]!.version, version);

    // The redline names both comments at the clause.
    const cmp = cheerio.load((await s.agent.get(`/documents/${round.id}/compare?from=1&to=2`).expect(200)).text);
    assert.equal(cmp('#clause-scope [data-test=applied-comments] a').length, 2);
  });

  it('finishes an application the process left between the clause edit and the record, without editing twice', async () => {
    const { round, ids: [id], s } = await resolvedRound(['accepted']);
    const url = `/documents/${round.id}/comments/${id}/apply`;
    const fields = formFields((await s.agent.get(url).expect(200)).text);
    await s.agent.post(url).type('form').send({ ...fields, _csrf: s.csrf }).expect(303);
    // As if the process had stopped after the edit: the revision names the comment, the disposition does not.
    await Comment.updateOne({ _id: id }, { $set: { 'disposition.appliedClauseKey': null, 'disposition.appliedInRevision': null } });
    const version = (await revisionsOf(round.id))[1]!.version;
    await s.agent.post(url).type('form').send({ ...fields, _csrf: s.csrf }).expect(303);
    assert.equal((await revisionsOf(round.id))[1]!.version, version);
    assert.equal((await storedComment(id!)).disposition!.appliedClauseKey, 'scope');
  });

  it('keeps the record of the application when the disposition is given again later', async () => {
    const { round, ids: [id], s } = await resolvedRound(['accepted']);
    const url = `/documents/${round.id}/comments/${id}/apply`;
    await s.agent.post(url).type('form').send({ ...formFields((await s.agent.get(url).expect(200)).text), _csrf: s.csrf }).expect(303);
    // The next round's circulation opens dispositions again; the applied comment's record stays.
    await transition(actorOf(round.secretariat), round.id, 'circulate', { now: new Date(), closesAt: new Date(Date.now() + 30 * 86400_000) });
    await setDisposition(actorOf(round.secretariat), id!, { decision: 'partially', reason: 'Учтено в другой формулировке.', appliedInRevision: 1 }, new Date());
    const d = (await storedComment(id!)).disposition!;
    assert.equal(d.decision, 'partially');
    assert.equal(d.appliedInRevision, 2);
    assert.equal(d.appliedClauseKey, 'scope');
    // The circulation's mails go before the test ends.
    await drainNotices();
  });

  it('is the secretariat’s alone, and through the API too', async () => {
    const { round, ids: [id] } = await resolvedRound(['accepted']);
    const member = await signIn(app, round.members.BY);
    await member.agent.get(`/documents/${round.id}/comments/${id}/apply`).expect(403);
    const token = await tokenFor(round.secretariat);
    const api = `/api/documents/${round.id}/comments/${id}/application`;
    const got = await request(app).get(api).set('Authorization', `Bearer ${token}`).expect(200);
    assert.equal(got.body.revision, 2);
    assert.equal(got.body.opening, 'newRound');
    assert.match(got.body.suggestion.body, /правила приёмки, сертификации/);
    const posted = await request(app).post(api).set('Authorization', `Bearer ${token}`).send({ revision: 2, version: 0, clause: got.body.suggestion }).expect(201);
    assert.equal(posted.body.links.redline, `/documents/${round.id}/compare?from=1&to=2#clause-scope`);
    await request(app).post(api).set('Authorization', `Bearer ${token}`).send({ revision: 2, version: 0, clause: got.body.suggestion }).expect(409);
    const read = await request(app).get(`/api/documents/${round.id}/comments/${id}`).set('Authorization', `Bearer ${token}`).expect(200);
    assert.equal(read.body.disposition.appliedClauseKey, 'scope');
  });
});
