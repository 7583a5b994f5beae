import assert from 'node:assert/strict';
import type { Express } from 'express';
import * as cheerio from 'cheerio';
import request from 'supertest';
import { DocumentModel } from '../../server/documents/model.js';
import { getDocument, getRevision } from '../../server/documents/index.js';
import { signIn } from '../helpers/agent.js';
import { testApp } from '../helpers/app.js';
import { actorOf, makeCirculatedDocument, makeComment, makeDocument, makeUser } from '../helpers/factories.js';
import { makePublishedDocument } from '../helpers/publishing.js';

describe('the committee’s daily work', () => {
  let app: Express;
  before(() => {
    app = testApp();
  });

  describe('what a page says about the comment period', () => {
    it('says comments are taken until a date only while they are', async () => {
      const { id } = await makeCirculatedDocument();
      const member = await makeUser('member', { delegation: 'BY' });
      const { agent } = await signIn(app, member);
      const open = cheerio.load((await agent.get(`/documents/${id}`).expect(200)).text);
      assert.match(open('header').text(), /Отзывы на редакцию 1 принимаются до/);
      // The deadline has passed; the job has not closed the period yet.
      await DocumentModel.updateOne({ _id: id }, { $set: { 'commentPeriod.closesAt': new Date(Date.now() - 60_000) } });
      const passed = cheerio.load((await agent.get(`/documents/${id}`).expect(200)).text);
      assert.doesNotMatch(passed('header').text(), /принимаются до/);
    });

    it('shows the public text of a published standard without any draft-stage notice', async () => {
      const { id } = await makePublishedDocument();
      const page = cheerio.load((await request(app).get(`/documents/${id}`).expect(200)).text);
      assert.doesNotMatch(page('main').text(), /принимаются до|Отзывы на редакцию/);
    });
  });

  describe('after the national position is released', () => {
    it('says the position is closed and where its comments are, never “no comments yet” under a count', async () => {
      const { id } = await makeCirculatedDocument();
      const { member } = await makeComment(id, { delegation: 'RU', release: true });
      const { agent } = await signIn(app, member);
      const page = cheerio.load((await agent.get(`/documents/${id}/comments`).expect(200)).text);
      const internal = page('[data-test=internal]').text();
      assert.doesNotMatch(internal, /Замечаний пока нет/);
      assert.match(page('[data-test=position-closed]').text(), /позиция направлена, и она закрыта: замечания делегации — в сводке ниже, новые в этом этапе не принимаются/);
      assert.equal(page('form[data-test=new-comment]').length, 0, 'no form for a new comment');
      assert.match(page('[data-test=summary-table]').text(), /RU-001/);
    });
  });

  describe('no one-click accidents', () => {
    it('cancels a document only from a page of its own that says what will happen, with a reason kept in the history', async () => {
      const secretary = await makeUser('secretariat');
      const { id } = await makeCirculatedDocument();
      const { agent, csrf } = await signIn(app, secretary);
      const page = cheerio.load((await agent.get(`/documents/${id}`).expect(200)).text);
      assert.equal(page('form[action$="/transitions/cancel"]').length, 0, 'no cancel button that acts at once');
      assert.equal(page('[data-test=danger-zone] a[data-test=transition-cancel]').attr('href'), `/documents/${id}/cancel`);
      assert.equal(page('.panel').first().find('[data-test=transition-cancel]').length, 0, 'not beside the day’s actions');

      const confirm = cheerio.load((await agent.get(`/documents/${id}/cancel`).expect(200)).text);
      assert.match(confirm('main').text(), /выходит из работы насовсем/);
      const before = await DocumentModel.findById(id).select({ state: 1, history: 1 }).lean();
      const refused = await agent.post(`/documents/${id}/cancel`).type('form').send({ _csrf: csrf, note: '   ' }).expect(422);
      assert.match(cheerio.load(refused.text)('main').text(), /Укажите причину: она записывается в историю документа/);
      assert.deepEqual(await DocumentModel.findById(id).select({ state: 1, history: 1 }).lean(), before, 'nothing changed');
      // The generic transition path does not cancel without a reason either.
      await agent.post(`/documents/${id}/transitions/cancel`).type('form').send({ _csrf: csrf }).expect(422);

      await agent.post(`/documents/${id}/cancel`).type('form').send({ _csrf: csrf, note: 'Работа прекращена решением заседания.' }).expect(303);
      const after = await DocumentModel.findById(id).select({ state: 1, history: 1 }).lean();
      assert.equal(after!.state, 'cancelled');
      assert.equal(after!.history.at(-1)!.note, 'Работа прекращена решением заседания.');
    });

    it('releases a national position only after a page that says what follows', async () => {
      const { id } = await makeCirculatedDocument();
      await makeComment(id, { delegation: 'BY' });
      await makeComment(id, { delegation: 'BY', clauseKey: 'terms' });
      const head = await makeUser('head', { delegation: 'BY' });
      const { agent, csrf } = await signIn(app, head);
      const list = cheerio.load((await agent.get(`/documents/${id}/comments`).expect(200)).text);
      assert.equal(list('form[action$="/position"]').length, 0, 'no button that releases at once');
      assert.equal(list('a[data-test=release]').attr('href'), `/documents/${id}/position`);
      const confirm = cheerio.load((await agent.get(`/documents/${id}/position`).expect(200)).text);
      assert.match(confirm('main').text(), /Замечания делегации BY \(2\) получат номера BY-001, BY-002/);
      assert.match(confirm('main').text(), /позиция закрыта: новые замечания делегации BY в этом этапе не принимаются/);
      await agent.post(`/documents/${id}/position`).type('form').send({ _csrf: csrf }).expect(303);
      const after = cheerio.load((await agent.get(`/documents/${id}/position`).expect(200)).text);
      assert.equal(after('[data-test=already-released]').length, 1);
      assert.equal(after('button[data-test=release-confirm]').length, 0);
    });

    it('deactivates a person only after a page that says what it ends', async () => {
      const admin = await makeUser('administrator');
      const person = await makeUser('member', { delegation: 'RU', name: 'Сергей Петров' });
      const { agent, csrf } = await signIn(app, admin);
      // The list is paged: the administrator finds the person by the address.
      const list = cheerio.load((await agent.get(`/admin/users?q=${encodeURIComponent(person.email)}`).expect(200)).text);
      assert.equal(list(`form[action="/admin/users/${person.id}/deactivate"]`).length, 0, 'no button that deactivates at once');
      assert.equal(list(`a[href^="/admin/users/${person.id}/deactivate"]`).length, 1);
      const confirm = cheerio.load((await agent.get(`/admin/users/${person.id}/deactivate`).expect(200)).text);
      assert.match(confirm('main').text(), /Учётная запись Сергей Петров .* будет отключена/);
      assert.match(confirm('main').text(), /API-токены отзываются навсегда/);
      await agent.post(`/admin/users/${person.id}/deactivate`).type('form').send({ _csrf: csrf }).expect(303);
      assert.match(cheerio.load((await agent.get(`/admin/users/${person.id}/deactivate`).expect(200)).text)('main').text(), /уже отключена/);
    });

    it('deletes a clause only after a page that names it and what goes with it', async () => {
      const secretary = await makeUser('secretariat');
      const { id } = await makeDocument({ by: secretary });
      const doc = await getDocument(actorOf(secretary), id);
      const rev = await getRevision(doc, doc.currentRevision);
      const at = rev.clauses.findIndex((c, i) => c.kind === 'section' && rev.clauses[i + 1] && rev.clauses[i + 1]!.depth > c.depth);
      const section = rev.clauses[at]!;
      const { agent, csrf } = await signIn(app, secretary);
      const editor = cheerio.load((await agent.get(`/documents/${id}/edit`).expect(200)).text);
      assert.equal(editor(`form[action$="/clauses/${section.key}/delete"]`).length, 0, 'no button that deletes at once');
      const confirm = cheerio.load((await agent.get(`/documents/${id}/clauses/${section.key}/delete`).expect(200)).text);
      assert.match(confirm('main').text(), new RegExp(`Пункт \\d+ «${section.heading}» будет удалён`));
      assert.match(confirm('main').text(), /Вместе с ним удаля(ется|ются) \d+ вложенн/);
      await agent.post(`/documents/${id}/clauses/${section.key}/delete`).type('form').send({ _csrf: csrf, version: confirm('input[name=version]').val() }).expect(303);
      const after = await getRevision(doc, doc.currentRevision);
      assert.ok(!after.clauses.some((c) => c.key === section.key));
      await agent.get(`/documents/${id}/clauses/${section.key}/delete`).expect(404);
    });
  });
});
