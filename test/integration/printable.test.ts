import assert from 'node:assert/strict';
import type { Express } from 'express';
import * as cheerio from 'cheerio';
import request from 'supertest';
import { DocumentModel, Revision, type DocumentRecord } from '../../server/documents/model.js';
import { Designation } from '../../server/publishing/model.js';
import { csrfOf, signIn, tokenFor, type Agent } from '../helpers/agent.js';
import { testApp } from '../helpers/app.js';
import { makeDocument, makeUser, type MadeUser } from '../helpers/factories.js';
import { makeApprovedDocument } from '../helpers/publishing.js';

interface RevisionJson {
  version: number;
  frozen: boolean;
  clauses: { key: string; kind: string; label?: string; body?: string }[];
}

describe('characters no PDF font prints', function () {
  this.timeout(60_000);
  let app: Express;
  let user: MadeUser;
  let secretariat: { agent: Agent; csrf: string };
  let bearer: string;

  before(async () => {
    app = testApp();
    user = await makeUser('secretariat');
    secretariat = await signIn(app, user);
    bearer = await tokenFor(user);
  });

  const api = () => ({
    get: (url: string) => request(app).get(url).set('Authorization', `Bearer ${bearer}`),
    post: (url: string, body: object = {}) => request(app).post(url).set('Authorization', `Bearer ${bearer}`).send(body),
    patch: (url: string, body: object) => request(app).patch(url).set('Authorization', `Bearer ${bearer}`).send(body),
  });
  const revision = async (id: string): Promise<RevisionJson> => (await api().get(`/api/documents/${id}/revisions/1`).expect(200)).body;
  const state = async (id: string) => (await DocumentModel.findById(id).select({ state: 1 }).lean<DocumentRecord>())!.state;

  /** Sets the body of the draft's «1 Область применения» and returns that clause's key. */
  async function setScope(id: string, body: string): Promise<string> {
    const r = await revision(id);
    const scope = r.clauses.find((c) => c.key === 'scope')!;
    assert.equal(scope.label, '1');
    await api().patch(`/api/documents/${id}/clauses/scope`, { version: r.version, patch: { body } }).expect(200);
    return scope.key;
  }

  it('refuses to circulate a draft with such a character, naming the clause and the character; Greek and math signs pass', async () => {
    const { id } = await makeDocument({ by: user });
    await setScope(id, 'Настоящий стандарт распространяется на изделия 😀 и устанавливает требования к ним.');

    const res = await api().post(`/api/documents/${id}/transitions/circulate`, {}).expect(422);
    assert.equal(res.body.error.code, 'pdf.unprintable');
    assert.match(res.body.error.message, /^Пункт 1: символ «😀» \(U\+1F600\) нельзя напечатать в PDF/);
    const en = await api().post(`/api/documents/${id}/transitions/circulate`, {}).set('Cookie', 'lang=en').expect(422);
    assert.match(en.body.error.message, /^Clause 1: the character “😀” \(U\+1F600\) cannot be printed/);
    assert.equal(await state(id), 'draft', 'nothing moved');
    assert.equal((await revision(id)).frozen, false, 'the revision is not frozen');

    // The form says the same on the document's page.
    const page = await secretariat.agent.get(`/documents/${id}`).expect(200);
    const form = await secretariat.agent.post(`/documents/${id}/transitions/circulate`).type('form').send({ _csrf: csrfOf(page.text) }).expect(422);
    assert.match(cheerio.load(form.text)('body').text(), /Пункт 1: символ «😀» \(U\+1F600\)/);

    // The editor lists it among the problems that block circulation.
    const editor = await secretariat.agent.get(`/documents/${id}/edit`).expect(200);
    assert.match(cheerio.load(editor.text)('[data-test=problems]').text(), /1: символ «😀» \(U\+1F600\) нельзя напечатать/);

    await setScope(id, 'Настоящий стандарт распространяется на изделия с током F_{βr} ≤ 5 А, γ = 99 %, δP ≤ 0,5 %, ⌀ 12 мм, ±1″ и ℃.');
    await api().post(`/api/documents/${id}/transitions/circulate`, {}).expect(200);
    assert.equal(await state(id), 'comment');
  });

  it('refuses a title with such a character', async () => {
    const { id } = await makeDocument({ by: user, title: 'Станки ☃. Технические условия' });
    const res = await api().post(`/api/documents/${id}/transitions/circulate`, {}).expect(422);
    assert.match(res.body.error.message, /^Наименование документа: символ «☃» \(U\+2603\)/);
    assert.equal(await state(id), 'draft');
  });

  it('refuses to publish a text with such a character before it takes a number', async () => {
    const { id } = await makeApprovedDocument({ by: user });
    // TEST SHORTCUT: a text frozen before this check existed, written straight to the collection (the service never writes a frozen revision).
    const doc = (await DocumentModel.findById(id).lean<DocumentRecord>())!;
    const frozen = (await Revision.findOne({ document: doc._id, number: doc.currentRevision }).lean<{ clauses: { key: string; body?: string }[] }>())!;
    const clauses = frozen.clauses.map((c) => (c.key === 'scope' ? { ...c, body: 'Стандарт распространяется на изделия 中.' } : c));
    await Revision.collection.updateOne({ document: doc._id, number: doc.currentRevision }, { $set: { clauses } });

    const page = await secretariat.agent.get(`/documents/${id}/publish`).expect(200);
    const $ = cheerio.load(page.text);
    const res = await secretariat.agent.post(`/documents/${id}/publish`).type('form').send({
      _csrf: csrfOf(page.text),
      entryIntoForceBY: String($('input[name=entryIntoForceBY]').val()),
      entryIntoForceRU: String($('input[name=entryIntoForceRU]').val()),
    }).expect(422);
    assert.match(cheerio.load(res.text)('body').text(), /Пункт 1: символ «中» \(U\+4E2D\) нельзя напечатать в PDF/);
    assert.equal(await state(id), 'approved');
    assert.equal(await Designation.countDocuments({ document: doc._id }), 0, 'no number was taken');
  });
});
