// The disposition report of a document across all its rounds (docs/answers.md, "The disposition report"):
// every comment of every round with its disposition and the ones before it, the delegation's answer, and
// where its change was applied, as a page and as a PDF.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import * as cheerio from 'cheerio';
import { mongoose } from '../../server/db/mongoose.js';
import { setDisposition } from '../../server/comments/dispositions.js';
import { signIn } from '../helpers/agent.js';
import { drainNotices, testApp, transition } from '../helpers/app.js';
import { actorOf, makeUser } from '../helpers/factories.js';
import { binaryParser, releaseAs, roundOfComments, writeComment } from '../helpers/comments.js';

const PROPOSAL = 'Заменить «правила приёмки» на «правила приёмки, сертификации»';

function pdfText(bytes: Buffer): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'accord-report-')), 'report.pdf');
  writeFileSync(file, bytes);
  return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
}

/** The fields of a page's form, as a browser would send them unchanged. */
function formFields(html: string, selector: string): Record<string, string> {
  const $ = cheerio.load(html);
  const out: Record<string, string> = {};
  $(selector).find('input[name], textarea[name], select[name]').each((_, el) => {
    const e = $(el);
    const name = e.attr('name')!;
    if (e.is('input[type=checkbox], input[type=radio]') && !e.is(':checked')) return;
    if (e.is('textarea')) out[name] = e.text();
    else if (e.is('select')) out[name] = e.find('option:selected').attr('value') ?? '';
    else out[name] = e.attr('value') ?? '';
  });
  return out;
}

describe('the disposition report of all rounds', () => {
  let app: Express;
  before(() => {
    app = testApp();
  });
  // Late in a full run a notice goes to many people: the drain gets the time a test gets.
  after(async function () {
    this.timeout(120_000);
    await drainNotices();
  });

  /** Two rounds: in the first a comment referred then accepted at a meeting and applied, one rejected and not agreed; in the second one open. */
  async function twoRounds() {
    const r = await roundOfComments();
    const sec = actorOf(r.secretariat);
    const applied = await writeComment(r.id, r.members.BY, { clauseKey: 'scope', text: 'Распространить на сертификацию.', proposedChange: PROPOSAL });
    const rejected = await writeComment(r.id, r.members.BY, { clauseKey: 'scope', text: 'Исключить станки с ЧПУ.', type: 'ge' });
    const head = await releaseAs(r.id, 'BY');
    await transition(sec, r.id, 'closeComments', { now: new Date() });
    await setDisposition(sec, String(applied._id), { decision: 'referred' }, new Date(Date.now() - 60_000));
    await setDisposition(sec, String(applied._id), { decision: 'accepted', meeting: { id: new mongoose.Types.ObjectId().toHexString(), day: '2026-12-02' } }, new Date());
    await setDisposition(sec, String(rejected._id), { decision: 'rejected', reason: 'Область применения согласована ранее.' }, new Date());
    const h = await signIn(app, head);
    await h.agent.post(`/documents/${r.id}/answers/${rejected._id}`).type('form').send({ _csrf: h.csrf, agreed: 'no', reason: 'Станки с ЧПУ нужно исключить.' }).expect(303);
    const s = await signIn(app, r.secretariat);
    const url = `/documents/${r.id}/comments/${applied._id}/apply`;
    const fields = formFields((await s.agent.get(url).expect(200)).text, 'form[data-test=apply-form]');
    await s.agent.post(url).type('form').send({ ...fields, _csrf: s.csrf }).expect(303);
    await transition(sec, r.id, 'circulate', { now: new Date(), closesAt: new Date(Date.now() + 30 * 86400_000) });
    const second = await writeComment(r.id, r.members.RU, { clauseKey: 'scope', text: 'Добавить ссылку на ГОСТ 1.5.' });
    await releaseAs(r.id, 'RU');
    return { ...r, s, ids: { applied: String(applied._id), rejected: String(rejected._id), second: String(second._id) } };
  }

  it('lists both rounds with each comment’s disposition, its history, the answer and where it was applied', async () => {
    const r = await twoRounds();
    const member = await signIn(app, r.members.RU);
    const doc = cheerio.load((await member.agent.get(`/documents/${r.id}`).expect(200)).text);
    assert.equal(doc('[data-test=disposition-report-link]').attr('href'), `/documents/${r.id}/disposition-report`);
    const list = cheerio.load((await member.agent.get(`/documents/${r.id}/comments`).expect(200)).text);
    assert.equal(list('[data-test=disposition-report-link]').attr('href'), `/documents/${r.id}/disposition-report`);

    const $ = cheerio.load((await member.agent.get(`/documents/${r.id}/disposition-report`).expect(200)).text);
    const rounds = $('[data-test=report-round]').toArray().map((e) => $(e).attr('data-round'));
    assert.deepEqual(rounds, ['1', '2']);
    const text = (id: string, part = '') => $(`[data-test=report-comment][data-comment=${id}] ${part}`).text().replace(/\s+/g, ' ').trim();
    assert.match(text(r.ids.applied), /BY-001/);
    assert.match(text(r.ids.applied), /правила приёмки, сертификации/);
    assert.match(text(r.ids.applied, '[data-test=report-disposition]'), /Принято.*решение заседания 02\.12\.2026/);
    assert.match(text(r.ids.applied, '[data-test=report-earlier]'), /Вынесено на обсуждение/);
    assert.match(text(r.ids.applied, '[data-test=report-applied]'), /учтено в редакции 2, пункт 1/);
    assert.equal($(`[data-test=report-comment][data-comment=${r.ids.applied}] [data-test=report-applied] a`).attr('href'), `/documents/${r.id}/compare?from=1&to=2#clause-scope`);
    assert.match(text(r.ids.rejected, '[data-test=report-disposition]'), /Отклонено: Область применения согласована ранее/);
    assert.match(text(r.ids.rejected, '[data-test=report-answer]'), /не согласна: Станки с ЧПУ нужно исключить/);
    assert.match(text(r.ids.second), /RU-001.*Добавить ссылку на ГОСТ 1\.5/);
    assert.match(text(r.ids.second, '[data-test=report-disposition]'), /Без заключения|Заключения нет|—/i);
    assert.equal($(`[data-test=report-round][data-round=2] [data-test=report-comment]`).length, 1);
  });

  it('prints the same as a PDF in the summary’s columns', async () => {
    const r = await twoRounds();
    const res = await r.s.agent.get(`/documents/${r.id}/disposition-report.pdf`).buffer(true).parse(binaryParser).expect(200);
    assert.equal(res.headers['content-type'], 'application/pdf');
    const body = res.body as Buffer;
    const text = pdfText(body).replace(/\s+/g, ' ');
    assert.match(text, /Отчёт о рассмотрении замечаний/);
    assert.match(text, /Этап 1/);
    assert.match(text, /Этап 2/);
    assert.match(text, /BY-001/);
    assert.match(text, /RU-001/);
    assert.match(text, /Ранее: Вынесено на обсуждение/);
    assert.match(text, /Принято\. Решение заседания 02\.12\.2026/);
    assert.match(text, /Учтено в редакции 2, пункт 1/);
    assert.match(text, /Ответ делегации: Делегация не согласна: Станки с ЧПУ нужно исключить/);
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'accord-report-')), 'r.pdf');
    writeFileSync(file, body);
    execFileSync('qpdf', ['--check', file]);
  });

  it('is the committee’s: a manufacturer is refused, and one signed out is asked to sign in', async () => {
    const r = await twoRounds();
    const maker = await signIn(app, await makeUser('manufacturer'));
    await maker.agent.get(`/documents/${r.id}/disposition-report`).expect(403);
    await maker.agent.get(`/documents/${r.id}/disposition-report.pdf`).expect(403);
    const { default: request } = await import('supertest');
    const anon = await request(app).get(`/documents/${r.id}/disposition-report`);
    assert.equal(anon.status, 303);
  });
});
