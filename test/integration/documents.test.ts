import assert from 'node:assert/strict';
import type { Express } from 'express';
import * as cheerio from 'cheerio';
import request from 'supertest';
import { DocumentModel, Revision } from '../../server/documents/model.js';
import { signIn, tokenFor, type Agent } from '../helpers/agent.js';
import { testApp } from '../helpers/app.js';
import { actorOf, makeCirculatedDocument, makeDocument, makeUser } from '../helpers/factories.js';
import { testEnv } from '../helpers/env.js';
import { EditConflict, editClauses, RevisionFrozen, writeRevision } from '../../server/documents/index.js';
import { transition } from '../helpers/app.js';

interface RevisionJson {
  number: number;
  frozen: boolean;
  version: number;
  clauses: { key: string; depth: number; kind: string; heading?: string; body?: string; label?: string }[];
}

describe('drafting documents', () => {
  let app: Express;
  let secretariat: { agent: Agent; csrf: string };
  let bearer: string;

  before(async () => {
    app = testApp();
    const user = await makeUser('secretariat');
    secretariat = await signIn(app, user);
    bearer = await tokenFor(user);
  });

  const api = () => ({
    get: (url: string) => request(app).get(url).set('Authorization', `Bearer ${bearer}`),
    post: (url: string, body: object = {}) => request(app).post(url).set('Authorization', `Bearer ${bearer}`).send(body),
    patch: (url: string, body: object) => request(app).patch(url).set('Authorization', `Bearer ${bearer}`).send(body),
    del: (url: string, body: object) => request(app).delete(url).set('Authorization', `Bearer ${bearer}`).send(body),
  });
  const revision = async (id: string, n: number): Promise<RevisionJson> => (await api().get(`/api/documents/${id}/revisions/${n}`).expect(200)).body;

  it('creates a draft from a template through the form, with the template’s skeleton numbered', async () => {
    const { agent, csrf } = secretariat;
    const res = await agent
      .post('/documents')
      .type('form')
      .send({ _csrf: csrf, kind: 'specifications', titleRu: 'Станки лазерные для резки металла. Технические условия', titleEn: 'Laser metal-cutting machines. Specifications', productGroup: 'laser-machines', ics: '25.120.10', developer: 'ОАО «СтанкоМаш»' })
      .expect(303);
    const page = await agent.get(res.headers.location).expect(200);
    const $ = cheerio.load(page.text);
    assert.match($('h1').text(), /Станки лазерные/);
    assert.equal($('[data-test=state]').text().trim(), 'Проект');
    assert.match($('[data-test=text]').text(), /1\s+Область применения/);
    assert.match($('[data-test=text]').text(), /Приложение А/);
  });

  it('keeps what was typed and says why when the ICS code is malformed', async () => {
    const { agent, csrf } = secretariat;
    const before = await DocumentModel.countDocuments({});
    const res = await agent
      .post('/documents')
      .type('form')
      .send({ _csrf: csrf, kind: 'test-methods', titleRu: 'Станки зубообрабатывающие. Методы испытаний', titleEn: 'Gear-cutting machine tools. Test methods', productGroup: 'gear-cutting-machines', ics: '25-080', developer: 'ЗАО «Зубр»' })
      .expect(422);
    assert.match(res.text, /Код ОКС/);
    assert.match(res.text, /value="Станки зубообрабатывающие. Методы испытаний"/);
    assert.equal(await DocumentModel.countDocuments({}), before);
  });

  it('derives numbers from position: inserting a section renumbers the ones after it, keys stay', async () => {
    const { id } = await makeDocument();
    const r1 = await revision(id, 1);
    const scope = r1.clauses.find((c) => c.key === 'scope')!;
    const refs = r1.clauses.find((c) => c.heading === 'Нормативные ссылки')!;
    assert.equal(refs.label, '2');
    await api().post(`/api/documents/${id}/clauses`, { version: r1.version, afterKey: scope.key, clause: { depth: 0, kind: 'section', heading: 'Общие положения' } }).expect(201);
    const r1b = await revision(id, 1);
    assert.equal(r1b.clauses.find((c) => c.key === refs.key)!.label, '3');
    assert.equal(r1b.clauses.find((c) => c.heading === 'Общие положения')!.label, '2');
  });

  it('refuses a second save made on the same version, telling what the first changed', async () => {
    const { id } = await makeDocument();
    const r = await revision(id, 1);
    const target = r.clauses.find((c) => c.kind === 'text')!;
    const { agent, csrf } = secretariat;
    const first = await agent.post(`/documents/${id}/clauses/${target.key}`).type('form').send({ _csrf: csrf, version: String(r.version), kind: 'text', body: 'Первая правка текста.' });
    assert.equal(first.status, 303);
    const second = await agent.post(`/documents/${id}/clauses/${target.key}`).type('form').send({ _csrf: csrf, version: String(r.version), kind: 'text', body: 'Вторая правка, сделанная по старой версии.' }).expect(409);
    const $ = cheerio.load(second.text);
    assert.match($('[data-test=conflict]').text(), /изменён пункт/);
    assert.equal($('textarea[name=body]').text(), 'Вторая правка, сделанная по старой версии.', 'what was typed is kept');
    const after = await revision(id, 1);
    assert.equal(after.clauses.find((c) => c.key === target.key)!.body, 'Первая правка текста.');
  });

  it('refuses to delete a section the template makes mandatory', async () => {
    const { id } = await makeDocument();
    const r = await revision(id, 1);
    const res = await api().del(`/api/documents/${id}/clauses/scope`, { version: r.version }).expect(422);
    assert.match(res.body.error.message, /обязателен/);
    assert.ok((await revision(id, 1)).clauses.some((c) => c.key === 'scope'));
  });

  it('freezes the revision on circulation; every later change is refused, and revision 2 keeps the keys', async () => {
    const { id } = await makeDocument();
    await api().post(`/api/documents/${id}/transitions/circulate`, { note: 'Первая редакция', closesAt: new Date(Date.now() + 30 * 86400_000).toISOString() }).expect(200);
    const frozen = await revision(id, 1);
    assert.equal(frozen.frozen, true);
    const text = frozen.clauses.find((c) => c.kind === 'text')!;

    // the service refuses: not a draft any more
    const res = await api().patch(`/api/documents/${id}/clauses/${text.key}`, { version: frozen.version, patch: { body: 'Попытка' } }).expect(409);
    assert.match(res.body.error.message, /только в состоянии «проект»/);
    // a stored revision is never saved from a loaded copy
    const loaded = await Revision.findOne({ document: id, number: 1 });
    loaded!.set('clauses', []);
    await assert.rejects(loaded!.save(), /conditional updates/);
    assert.deepEqual((await revision(id, 1)).clauses, frozen.clauses);

    // back to drafting: editing starts revision 2, a copy with the same keys
    await api().post(`/api/documents/${id}/transitions/closeComments`, {}).expect(200);
    await api().post(`/api/documents/${id}/transitions/newRound`, {}).expect(200);
    // a draft again, but its revision is frozen: the edit is refused as such, through the API and the form
    const viaApi = await api().patch(`/api/documents/${id}/clauses/${text.key}`, { version: frozen.version, patch: { body: 'x' } }).expect(409);
    assert.equal(viaApi.body.error.code, 'documents.revisionFrozen');
    assert.match(viaApi.body.error.message, /^Редакция 1 заморожена: она разослана на отзыв или поставлена на голосование.*начните новую редакцию\.$/);
    const viaForm = await secretariat.agent.post(`/documents/${id}/clauses/${text.key}`).type('form').send({ _csrf: secretariat.csrf, version: String(frozen.version), kind: 'text', body: 'Попытка через форму' }).expect(409);
    assert.match(cheerio.load(viaForm.text)('body').text(), /Редакция 1 заморожена/);
    assert.deepEqual((await revision(id, 1)).clauses, frozen.clauses);
    await api().post(`/api/documents/${id}/revisions`).expect(201);
    const r2 = await revision(id, 2);
    assert.deepEqual(r2.clauses.map((c) => c.key), frozen.clauses.map((c) => c.key));
    await api().patch(`/api/documents/${id}/clauses/${text.key}`, { version: r2.version, patch: { body: 'Изделия должны соответствовать требованиям настоящего стандарта и технических условий.' } }).expect(200);
    assert.equal((await revision(id, 1)).clauses.find((c) => c.key === text.key)!.body, text.body);

    const cmp = await api().get(`/api/documents/${id}/compare?from=1&to=2`).expect(200);
    assert.equal(cmp.body.counts.changed, 1);
    const page = await secretariat.agent.get(`/documents/${id}/compare?from=1&to=2`).expect(200);
    const $ = cheerio.load(page.text);
    assert.match($('[data-test=redline] del').text(), /конкретных/);
    const field = $('[data-test=redline] .rl-field').first().clone();
    field.find('del').remove();
    assert.match(field.text(), /настоящего стандарта и технических условий\./, 'the new text reads whole without the deletions');
  });

  it('lets exactly one of 20 simultaneous transitions through, with one history event', async () => {
    const { id } = await makeDocument();
    const results = await Promise.all(Array.from({ length: 20 }, () => api().post(`/api/documents/${id}/transitions/circulate`, {})));
    const statuses = results.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 200).length, 1, `statuses: ${statuses.join(',')}`);
    assert.ok(statuses.every((s) => s === 200 || s === 409), `statuses: ${statuses.join(',')}`);
    const loser = results.find((r) => r.status === 409)!;
    assert.match(loser.body.error.message, /другой пользователь|невозможно в текущем состоянии/);
    const doc = (await api().get(`/api/documents/${id}`).expect(200)).body;
    assert.equal(doc.history.filter((e: { action: string }) => e.action === 'circulate').length, 1);
    assert.equal(doc.state, 'comment');
  });

  it('refuses, as RevisionFrozen, any write to a frozen revision, and leaves it as it was', async () => {
    const { id, by } = await makeCirculatedDocument();
    const actor = actorOf(by);
    await transition(actor, id, 'closeComments', { now: new Date() });
    await transition(actor, id, 'newRound', { now: new Date() });
    const before = (await Revision.findOne({ document: id, number: 1 }).lean<{ frozen: boolean; version: number; clauses: unknown[]; edits: unknown[] }>())!;
    assert.equal(before.frozen, true);
    const key = (before.clauses as { key: string; kind: string }[]).find((c) => c.kind === 'text')!.key;

    // The edit of a draft whose revision is frozen
    await assert.rejects(
      editClauses(actor, testEnv().templates, id, before.version, { type: 'update', key, patch: { body: 'Попытка' } }, new Date()),
      (e: unknown) => e instanceof RevisionFrozen && e.status === 409 && e.messageKey === 'documents.revisionFrozen' && e.params.number === 1,
    );
    // The write itself, as when the revision froze between the editor's read and its write
    await assert.rejects(writeRevision({ _id: (await DocumentModel.findById(id).lean())!._id }, 1, before.version, { $set: { clauses: [] } }), RevisionFrozen);
    const after = (await Revision.findOne({ document: id, number: 1 }).lean<typeof before>())!;
    assert.deepEqual({ version: after.version, clauses: after.clauses, edits: after.edits }, { version: before.version, clauses: before.clauses, edits: before.edits });

    // An unfrozen revision saved meanwhile is an edit conflict, not a frozen one.
    const { id: other } = await makeDocument();
    const doc = (await DocumentModel.findById(other).lean())!;
    await writeRevision(doc, 1, 0, { $set: { clauses: (await Revision.findOne({ document: other, number: 1 }).lean<{ clauses: unknown[] }>())!.clauses } });
    await assert.rejects(writeRevision(doc, 1, 0, { $set: { clauses: [] } }), (e: unknown) => e instanceof EditConflict && !(e instanceof RevisionFrozen));
  });

  it('refuses a comment deadline in the past', async () => {
    const { id } = await makeDocument();
    const res = await api().post(`/api/documents/${id}/transitions/circulate`, { closesAt: '2020-01-01T00:00:00+03:00' }).expect(422);
    assert.match(res.body.error.message, /в будущем/);
    assert.equal((await api().get(`/api/documents/${id}`)).body.state, 'draft');
  });

  it('shows drafts to the committee and nothing of them to manufacturers or anonymous visitors', async () => {
    const { id } = await makeDocument({ title: 'Секретный проект для проверки видимости' });
    const member = await signIn(app, await makeUser('member', { delegation: 'BY' }));
    assert.match((await member.agent.get(`/documents/${id}`).expect(200)).text, /Секретный проект/);
    const manufacturer = await makeUser('manufacturer');
    const m = await signIn(app, manufacturer);
    for (const agent of [m.agent, request.agent(app)]) {
      await agent.get(`/documents/${id}`).expect(404);
      await agent.get(`/documents/${id}/revisions/1`).expect(404);
      await agent.get(`/documents/${id}/compare`).expect(404);
      await agent.get(`/api/documents/${id}`).expect(404);
      await agent.get(`/api/documents/${id}/revisions/1`).expect(404);
      const list = await agent.get('/documents').expect(200);
      assert.ok(!list.text.includes('Секретный проект'));
      const json = await agent.get('/api/documents').expect(200);
      assert.ok(!JSON.stringify(json.body).includes('Секретный проект'));
    }
    const token = await tokenFor(manufacturer);
    await request(app).get(`/api/documents/${id}`).set('Authorization', `Bearer ${token}`).expect(404);
  });

  it('escapes what people type and refuses markup that is not the document’s own', async () => {
    const { id } = await makeDocument();
    const r = await revision(id, 1);
    const text = r.clauses.find((c) => c.kind === 'text')!;
    await api().patch(`/api/documents/${id}/clauses/${text.key}`, { version: r.version, patch: { body: '<script>alert(1)</script> **важно** и 10^{-6}' } }).expect(200);
    const page = await secretariat.agent.get(`/documents/${id}`).expect(200);
    assert.ok(!page.text.includes('<script>alert(1)</script>'));
    assert.match(page.text, /&lt;script&gt;alert\(1\)&lt;\/script&gt; <strong>важно<\/strong> и 10<sup>-6<\/sup>/);
  });

  it('describes the JSON API in an OpenAPI document and a browsable page', async () => {
    const doc = (await request(app).get('/api/openapi.json').expect(200)).body;
    assert.equal(doc.openapi, '3.0.3');
    assert.ok(doc.paths['/api/documents/{id}/clauses'].post.requestBody.content['application/json'].schema.properties.clause);
    const page = await request(app).get('/api/docs').expect(200);
    assert.match(page.text, /\/api\/documents\/:id\/transitions\/:name/);
  });
});
