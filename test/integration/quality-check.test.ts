import assert from 'node:assert/strict';
import type { Express } from 'express';
import * as cheerio from 'cheerio';
import request from 'supertest';
import { DocumentModel, type DocumentRecord } from '../../server/documents/model.js';
import { signIn, tokenFor } from '../helpers/agent.js';
import { testApp, transition } from '../helpers/app.js';
import { actorOf, makeDocument } from '../helpers/factories.js';
import { finishTemplateText } from '../helpers/finished-text.js';
import { startNewRevision } from '../../server/documents/index.js';

describe('the quality check before circulation, ballot and publication', () => {
  let app: Express;
  before(() => {
    app = testApp();
  });

  const state = async (id: string) => (await DocumentModel.findById(id).select({ state: 1 }).lean<DocumentRecord>())!.state;

  it('lists what a template left unfinished with links to the clauses, and sends the draft out only once the warnings are accepted', async () => {
    const { id, by } = await makeDocument({ bare: true });
    const sec = await signIn(app, by);
    const page = cheerio.load((await sec.agent.get(`/documents/${id}/check`).expect(200)).text);
    assert.equal(page('[data-test=check-errors]').length, 0, 'nothing refuses circulation outright');
    const warnings = page('[data-test=quality-check] ul.check-list li').toArray().map((li) => page(li).text().replace(/\s+/g, ' ').trim());
    assert.ok(warnings.some((w) => /^1 Область применения — не заполнено место из шаблона: «на … \(далее»/.test(w)), warnings.join('\n'));
    assert.ok(warnings.some((w) => /Термины и определения — в разделе «Термины и определения» нет ни одного термина/.test(w)));
    assert.ok(warnings.some((w) => /таблица без строк/.test(w)));
    assert.ok(warnings.some((w) => /Библиография — библиография пуста/.test(w)));
    assert.equal(page('a[href$="/edit#clause-scope"]').length, 1);
    const proof = await sec.agent.get(page('[data-test=proof-pdf]').attr('href')!).expect(200);
    assert.equal(proof.headers['content-type'], 'application/pdf');

    // The document page says so, and asks to accept the warnings in the circulation form.
    const show = cheerio.load((await sec.agent.get(`/documents/${id}`).expect(200)).text);
    assert.match(show('[data-test=check-summary]').text(), /0 ошибок, \d+ предупреждени/);
    assert.equal(show('form[action$="/transitions/circulate"] [data-test=accept-warnings] input[name=acceptWarnings]').length, 1);
    const rev = String((await DocumentModel.findById(id).lean<DocumentRecord>())!.rev);

    const refused = await sec.agent.post(`/documents/${id}/transitions/circulate`).type('form').send({ _csrf: sec.csrf, rev, closesDate: '2031-05-01' }).expect(409);
    const $r = cheerio.load(refused.text);
    assert.match($r('[data-test=blockers]').text(), /^Проверка:/);
    assert.ok($r('[data-test=blockers] a[href$="/edit#clause-scope"]').length === 1);
    assert.equal(await state(id), 'draft');

    await sec.agent.post(`/documents/${id}/transitions/circulate`).type('form').send({ _csrf: sec.csrf, rev, closesDate: '2031-05-01', acceptWarnings: '1' }).expect(303);
    assert.equal(await state(id), 'comment');
  });

  it('refuses a ballot on an unfinished text whatever is accepted, and opens it on the finished one', async () => {
    const { id, by } = await makeDocument({ bare: true });
    const actor = actorOf(by);
    await transition(actor, id, 'circulate', { now: new Date(), closesAt: new Date(Date.now() + 86400_000), acceptWarnings: true });
    await transition(actor, id, 'closeComments', { now: new Date() });
    const bearer = await tokenFor(by);
    const api = (method: 'get' | 'post', url: string, body?: object) => request(app)[method](url).set('Authorization', `Bearer ${bearer}`).send(body);

    const check = (await api('get', `/api/documents/${id}/check`).expect(200)).body as { step: string; errors: { key: string; text: string }[]; warnings: unknown[] };
    assert.equal(check.step, 'openBallot');
    assert.ok(check.errors.some((e) => e.key === 'scope' && /не заполнено место/.test(e.text)));
    const refused = await api('post', `/api/documents/${id}/transitions/openBallot`, { acceptWarnings: true, closesAt: new Date(Date.now() + 14 * 86400_000).toISOString() });
    assert.equal(refused.status, 409, refused.text);
    assert.match(refused.body.error.message, /Проверка нашла, что нужно доделать/);
    assert.equal(await state(id), 'resolution');

    // Another round on the finished text, then the ballot.
    await transition(actor, id, 'newRound', { now: new Date() });
    await startNewRevision(actor, id, new Date());
    await finishTemplateText(id);
    await transition(actor, id, 'circulate', { now: new Date(), closesAt: new Date(Date.now() + 86400_000) });
    await transition(actor, id, 'closeComments', { now: new Date() });
    assert.deepEqual((await api('get', `/api/documents/${id}/check`).expect(200)).body.errors, []);
    await api('post', `/api/documents/${id}/transitions/openBallot`, { closesAt: new Date(Date.now() + 14 * 86400_000).toISOString() }).expect(200);
    assert.equal(await state(id), 'ballot');
  });

  it('is the secretariat’s page', async () => {
    const { id } = await makeDocument({ bare: true });
    await request(app).get(`/documents/${id}/check`).expect((r) => assert.ok([302, 303, 401, 404].includes(r.status), String(r.status)));
  });
});
