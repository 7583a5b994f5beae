import assert from 'node:assert/strict';
import type { Express } from 'express';
import * as cheerio from 'cheerio';
import { DocumentModel } from '../../server/documents/model.js';
import { anonymousAgent, signIn, type Agent } from '../helpers/agent.js';
import { testApp } from '../helpers/app.js';
import { makeDocument } from '../helpers/factories.js';
import { roundOfComments } from '../helpers/comments.js';

/** What a browser sends with a form it submits from a page of the site (Fetch Metadata and the referrer). */
const fromPage = (page: string) => ({ 'Sec-Fetch-Mode': 'navigate', 'Sec-Fetch-Site': 'same-origin', 'Sec-Fetch-Dest': 'document', Referer: `http://127.0.0.1${page}` });

describe('a refused form in the browser (post/redirect/get)', () => {
  let app: Express;
  before(() => {
    app = testApp();
  });

  const submit = (s: { agent: Agent; csrf: string }, url: string, page: string, fields: Record<string, string>) =>
    s.agent.post(url).set(fromPage(page)).type('form').send({ _csrf: s.csrf, ...fields });

  it('goes back to the page of the form, which shows the reason and what was typed once; a reload sends nothing', async () => {
    const round = await roundOfComments();
    const member = await signIn(app, round.members.BY);
    const page = `/documents/${round.id}/comments?clause=safety&write=1`;
    const refused = await submit(member, `/documents/${round.id}/comments`, page, { clauseKey: 'safety', type: 'te', text: '   ', proposedChange: 'Добавить ГОСТ 12.2.007.0.' }).expect(303);
    assert.equal(refused.headers.location, page);
    const shown = cheerio.load((await member.agent.get(page).expect(200)).text);
    assert.notEqual(shown('#new-comment').attr('open'), undefined);
    assert.match(shown('[data-test=new-comment] .has-error').text(), /Заполните это поле|обязательн/i);
    assert.equal(shown('[data-test=new-comment] textarea[name=proposedChange]').text(), 'Добавить ГОСТ 12.2.007.0.');
    assert.ok(shown('[role=alert], .alert').length > 0);
    // Shown once: reading the page again (a reload of a GET) shows the page as it is.
    const again = cheerio.load((await member.agent.get(page).expect(200)).text);
    assert.equal(again('[data-test=new-comment] .has-error').length, 0);
  });

  it('keeps the refusal for its page while the browser fetches its favicon in between, and drops it once another page is read', async () => {
    const round = await roundOfComments();
    const member = await signIn(app, round.members.BY);
    const page = `/documents/${round.id}/comments?clause=safety&write=1`;
    const refuse = () => submit(member, `/documents/${round.id}/comments`, page, { clauseKey: 'safety', type: 'te', text: '   ' }).expect(303);
    await refuse();
    // What the browser asks for beside the page (it may come before the redirected page) leaves the refusal alone.
    await member.agent.get('/favicon.ico').set({ 'Sec-Fetch-Mode': 'no-cors', 'Sec-Fetch-Site': 'same-origin', 'Sec-Fetch-Dest': 'image' });
    assert.ok(cheerio.load((await member.agent.get(page).expect(200)).text)('[data-test=new-comment] .has-error').length > 0, 'the page still shows the refusal');
    // Another page read first ends it: coming back later shows the form fresh.
    await refuse();
    await member.agent.get(`/documents/${round.id}`).set({ 'Sec-Fetch-Mode': 'navigate', 'Sec-Fetch-Site': 'same-origin', 'Sec-Fetch-Dest': 'document' }).expect(200);
    assert.equal(cheerio.load((await member.agent.get(page).expect(200)).text)('[data-test=new-comment] .has-error').length, 0);
  });

  it('keeps the typed date, time and note of a refused circulation', async () => {
    const made = await makeDocument();
    const secretariat = await signIn(app, made.by);
    const doc = await DocumentModel.findById(made.id).lean();
    const res = await submit(secretariat, `/documents/${made.id}/transitions/circulate`, `/documents/${made.id}`, { rev: String(doc!.rev), closesDate: '2020-01-10', closesTime: '18:30', note: 'Вторая попытка' }).expect(303);
    assert.equal(res.headers.location, `/documents/${made.id}`);
    const $ = cheerio.load((await secretariat.agent.get(`/documents/${made.id}`).expect(200)).text);
    const form = $('form[action$="/transitions/circulate"]');
    assert.equal(form.find('input[name=closesDate]').val(), '2020-01-10');
    assert.equal(form.find('input[name=closesTime]').val(), '18:30');
    assert.equal(form.find('input[name=note]').val(), 'Вторая попытка');
    assert.ok(form.find('.has-error').length > 0 || $('[role=alert], .alert').length > 0);
    assert.equal((await DocumentModel.findById(made.id).lean())!.state, 'draft');
  });

  it('answers the refusal itself to anything that is not a navigation from a page of the site', async () => {
    const round = await roundOfComments();
    const member = await signIn(app, round.members.BY);
    const url = `/documents/${round.id}/comments`;
    await member.agent.post(url).type('form').send({ _csrf: member.csrf, clauseKey: 'safety', type: 'te', text: '' }).expect(422);
    await member.agent.post(url).set({ ...fromPage('/x'), 'Sec-Fetch-Site': 'cross-site' }).type('form').send({ _csrf: member.csrf, clauseKey: 'safety', type: 'te', text: '' }).expect((r) => assert.ok(r.status === 403 || r.status === 422, String(r.status)));
  });

  it('sends a visitor who chose no file on the verify form back to it, with the reason beside the file field', async () => {
    const { agent } = await anonymousAgent(app);
    const form = cheerio.load((await agent.get('/verify').expect(200)).text)('form[data-test=upload-form]');
    assert.equal(form.attr('action'), '/verify');
    const token = form.find('input[name=_csrf]').attr('value')!;
    // A browser sends the empty file field when nothing was chosen (a form without `required` honoured).
    const refused = await agent.post('/verify').set(fromPage('/verify')).field('_csrf', token).attach('file', Buffer.alloc(0), { filename: '', contentType: 'application/octet-stream' }).expect(303);
    assert.equal(refused.headers.location, '/verify');
    assert.doesNotMatch(String(refused.headers.location), /csrf/);
    const shown = cheerio.load((await agent.get('/verify').expect(200)).text);
    assert.match(shown('[role=alert]').text(), /Файл не выбран/);
    assert.match(shown('form[data-test=upload-form] .has-error').text(), /выберите файл PDF/);
    // Shown once.
    const again = cheerio.load((await agent.get('/verify').expect(200)).text);
    assert.equal(again('form[data-test=upload-form] .has-error').length, 0);
  });
});
