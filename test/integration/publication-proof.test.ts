// The proof PDF before publishing is the publication's layout: the same renderer with the same facts
// (designation to be taken, day of publication, votes, dates of entry into force), only unsigned.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as cheerio from 'cheerio';
import type { Express } from 'express';
import { ManualClock } from '../../server/time/clock.js';
import { addDays, atCommitteeTime, dayOf } from '../../server/time/days.js';
import { signIn } from '../helpers/agent.js';
import { newTestSystem, testApp } from '../helpers/app.js';
import { makeDocument } from '../helpers/factories.js';
import { binary, makeApprovedDocument } from '../helpers/publishing.js';

const file = (bytes: Buffer, name: string) => {
  const f = path.join(mkdtempSync(path.join(os.tmpdir(), 'accord-proof-')), name);
  writeFileSync(f, bytes);
  return f;
};
const pdfText = (bytes: Buffer) => execFileSync('pdftotext', ['-layout', file(bytes, 'a.pdf'), '-'], { encoding: 'utf8' });
const pages = (bytes: Buffer) => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file(bytes, 'b.pdf')], { encoding: 'utf8' }))![1]);

describe('the proof PDF before publishing', function () {
  this.timeout(60_000);
  let app: Express;
  // Noon in committee time on a day of its own: proof and publication fall on one day whenever the test runs.
  const clock = new ManualClock(atCommitteeTime(addDays(dayOf(new Date()), 1), '12:00')!);
  const day = (n: number) => addDays(dayOf(clock.now()), n);
  before(() => {
    app = testApp({}, newTestSystem({ clock }));
  });

  it('is the published PDF page for page: the same pages, the same text, only not signed', async () => {
    const { id, by } = await makeApprovedDocument();
    const { agent, csrf } = await signIn(app, by);
    const dates = { entryIntoForceBY: day(30), entryIntoForceRU: day(60) };
    // The check page and the publish page both lead to it.
    const check = cheerio.load((await agent.get(`/documents/${id}/check`).expect(200)).text);
    assert.equal(check('[data-test=proof-pdf]').attr('href'), `/documents/${id}/publish/proof.pdf`);
    const publishPage = cheerio.load((await agent.get(`/documents/${id}/publish`).expect(200)).text);
    assert.match(publishPage('[data-test=proof-pdf]').attr('href')!, new RegExp(`^/documents/${id}/publish/proof\\.pdf\\?entryIntoForceBY=\\d{4}-\\d{2}-\\d{2}&entryIntoForceRU=`));

    const proof = await agent.get(`/documents/${id}/publish/proof.pdf`).query(dates).buffer(true).parse(binary).expect(200);
    assert.equal(proof.headers['content-type'], 'application/pdf');
    assert.match(String(proof.headers['content-disposition']), /filename\*=UTF-8''.*%D0%BF%D1%80%D0%BE%D0%B1%D0%BD%D1%8B%D0%B9/);
    const proofBytes = proof.body as Buffer;
    assert.doesNotMatch(proofBytes.toString('latin1'), /\/ByteRange/, 'a proof is not signed');

    await agent.post(`/documents/${id}/publish`).type('form').send({ _csrf: csrf, ...dates }).expect(303);
    const published = (await agent.get(`/catalogue/${id}/pdf`).buffer(true).parse(binary).expect(200)).body as Buffer;
    assert.match(published.toString('latin1'), /\/ByteRange/, 'the publication is signed');

    assert.equal(pages(proofBytes), pages(published));
    const [a, b] = [pdfText(proofBytes), pdfText(published)];
    // The cover, the foreword with the dates of entry into force, the text: what the proof shows is what was published.
    assert.match(a, /СТ СГ \d+-\d{4}/);
    assert.equal(a, b);
  });

  it('is refused for a document not yet approved, and for dates publishing would refuse', async () => {
    const draft = await makeDocument();
    const { agent } = await signIn(app, draft.by);
    await agent.get(`/documents/${draft.id}/publish/proof.pdf`).expect(409);
    const { id, by } = await makeApprovedDocument();
    const s = await signIn(app, by);
    const bad = await s.agent.get(`/documents/${id}/publish/proof.pdf`).query({ entryIntoForceBY: day(-1), entryIntoForceRU: day(10) }).expect(422);
    assert.match(cheerio.load(bad.text)('[role=alert]').text(), /.+/);
    await s.agent.get(`/documents/${id}/publish/proof.pdf`).query({ entryIntoForceBY: 'вчера' }).expect(422);
  });
});
