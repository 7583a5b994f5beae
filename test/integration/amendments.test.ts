// Amendments and consolidated editions (docs/amendments.md): the foreword of a successor, the amendment
// as a document of its own kind, its PDF, the consolidated edition and what the catalogue says of it.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import * as cheerio from 'cheerio';
import JSZip from 'jszip';
import request from 'supertest';
import { createHash } from 'node:crypto';
import { amend, publish, startAmendment } from '../../server/publishing/service.js';
import { docxText } from '../helpers/office.js';
import { editClauses, getDocument, getRevision } from '../../server/documents/index.js';
import { testEnv } from '../helpers/env.js';
import { makeDocument } from '../helpers/factories.js';
import { approve as approveDoc } from '../helpers/publishing.js';
import { signIn } from '../helpers/agent.js';
import { testApp, testSystem, transition } from '../helpers/app.js';
import { actorOf, makeUser, type MadeUser } from '../helpers/factories.js';
import { approve, binary, entryInDays, filesOf, makePublishedDocument, publishOptions, storedFileOf } from '../helpers/publishing.js';
import { mongoose } from '../../server/db/mongoose.js';
import { scopeText } from '../../server/catalogue/store.js';

function tempPdf(bytes: Buffer): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'accord-amend-')), 'file.pdf');
  writeFileSync(file, bytes);
  return file;
}

/** The text pdftotext reads from a PDF, whitespace squashed. */
function pdfText(bytes: Buffer): string {
  return execFileSync('pdftotext', [tempPdf(bytes), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
}

/**
 * qpdf finds the file's structure sound: no error (exit 2). Its one warning on every signed publication —
 * whitespace before the signature's incremental xref (signing/pades.ts) — is the only one allowed.
 */
/** The text of a Word file's body, paragraphs joined without spaces. */
async function docxPlainText(bytes: Buffer): Promise<string> {
  const xml = await (await JSZip.loadAsync(bytes)).file('word/document.xml')!.async('string');
  return xml.replace(/<\/w:p>/g, '\n').replace(/<[^>]+>/g, '').replace(/\n/g, '');
}

function qpdfCheck(bytes: Buffer): void {
  const r = spawnSync('qpdf', ['--check', tempPdf(bytes)], { encoding: 'utf8' });
  assert.ok(r.status === 0 || r.status === 3, r.stderr);
  const warnings = r.stderr.split('\n').filter((l) => l.trim() && !/extraneous whitespace seen before xref|operation succeeded with warnings/.test(l));
  assert.deepEqual(warnings, []);
}

describe('amendments and consolidated editions', function () {
  this.timeout(120_000);
  let app: Express;
  let secretariatUser: MadeUser;

  before(async () => {
    app = testApp();
    secretariatUser = await makeUser('secretariat');
  });

  describe('the foreword', () => {
    it('says «ВВЕДЁН ВПЕРВЫЕ» of a first standard and «ВЗАМЕН …» of one that supersedes another, in the PDF, the Word copy and the page', async () => {
      const { id: oldId, doc: old } = await makePublishedDocument({ by: secretariatUser });
      const first = pdfText((await storedFileOf(old)).bytes);
      assert.match(first, /ВВЕДЁН ВПЕРВЫЕ/);
      assert.doesNotMatch(first, /ВЗАМЕН/);
      qpdfCheck((await storedFileOf(old)).bytes);

      const successor = await amend(actorOf(secretariatUser), oldId, new Date(), testSystem().lifecycle);
      const newId = String(successor._id);
      const { agent } = await signIn(app, secretariatUser);
      // The successor's draft says already what it will replace.
      const draftPdf = (await agent.get(`/documents/${newId}/revisions/1/pdf`).buffer(true).parse(binary).expect(200)).body as Buffer;
      assert.match(pdfText(draftPdf), new RegExp(`ВЗАМЕН ${old.designation}`));

      await approve(newId, secretariatUser);
      const next = await publish(actorOf(secretariatUser), newId, entryInDays(40), publishOptions());
      const second = pdfText((await storedFileOf(next)).bytes);
      assert.match(second, new RegExp(`ВЗАМЕН ${old.designation}`));
      assert.doesNotMatch(second, /ВВЕДЁН ВПЕРВЫЕ/);

      const docx = (await request(app).get(`/catalogue/${newId}/docx`).buffer(true).parse(binary).expect(200)).body as Buffer;
      const xml = await (await JSZip.loadAsync(docx)).file('word/document.xml')!.async('string');
      assert.match(xml.replace(/<[^>]+>/g, ''), new RegExp(`ВЗАМЕН ${old.designation}`));

      const page = cheerio.load((await request(app).get(`/documents/${newId}`).expect(200)).text);
      assert.equal(page('[data-test=foreword-origin]').text().trim(), `ВЗАМЕН ${old.designation}`);
      const oldPage = cheerio.load((await request(app).get(`/documents/${oldId}`).expect(200)).text);
      assert.equal(oldPage('[data-test=foreword-origin]').text().trim(), 'ВВЕДЁН ВПЕРВЫЕ');
    });
  });

  describe('an amendment', () => {
    /** A published standard with a requirement whose value an amendment may change. */
    async function publishedStandard(): Promise<{ id: string; designation: string }> {
      const { id } = await makeDocument({ by: secretariatUser });
      const rev = await getRevision({ _id: id as never }, 1);
      await editClauses(actorOf(secretariatUser), testEnv().templates, id, rev.version, { type: 'insert', afterKey: 'parameters-limits', clause: { kind: 'requirement', depth: 2, requirement: { parameter: 'Напряжение питания', nominal: 5, tolerance: 0.5, unit: 'В', methodKey: 'methods-conditions' } } }, new Date());
      await approveDoc(id, secretariatUser);
      const doc = await publish(actorOf(secretariatUser), id, entryInDays(30, 60), publishOptions());
      return { id, designation: doc.designation! };
    }

    /** The amendment's edits, as the clause editor makes them: replace, add after, delete, change a requirement's value. */
    async function editAmendment(amendmentId: string): Promise<void> {
      const actor = actorOf(secretariatUser);
      const edit = async (action: Parameters<typeof editClauses>[4]) => {
        const rev = await getRevision({ _id: amendmentId as never }, 1);
        await editClauses(actor, testEnv().templates, amendmentId, rev.version, action, new Date());
      };
      await edit({ type: 'update', key: 'resistance-climatic', patch: { body: 'Изделия должны сохранять значения параметров в условиях, установленных в технических условиях, в том числе при повышенной влажности.' } });
      await edit({ type: 'insert', afterKey: 'marking', clause: { kind: 'section', depth: 1, heading: 'Консервация', body: 'Изделия консервируют по ГОСТ 9.014.' } });
      await edit({ type: 'remove', key: 'methods-instruments' });
      const rev = await getRevision({ _id: amendmentId as never }, 1);
      const requirement = rev.clauses.find((c) => c.kind === 'requirement')!;
      await edit({ type: 'update', key: requirement.key, patch: { requirement: { ...requirement.requirement!, nominal: 3.3, tolerance: 0.3 } } });
    }

    it('is made from a published standard, lists its changes, and is published as «Изменение № 1 к …» in the form of an amendment', async () => {
      const standard = await publishedStandard();
      const { agent, csrf } = await signIn(app, secretariatUser);
      const amendPage = cheerio.load((await agent.get(`/documents/${standard.id}/amend`).expect(200)).text);
      assert.equal(amendPage('[data-test=start-amendment]').length, 1);
      const made = await agent.post(`/documents/${standard.id}/amendment`).type('form').send({ _csrf: csrf }).expect(303);
      const amendmentId = /\/documents\/([0-9a-f]{24})$/.exec(made.headers.location!)![1]!;
      const draft = await getDocument(actorOf(secretariatUser), amendmentId);
      assert.equal(String(draft.amends), standard.id);
      assert.equal(draft.state, 'draft');
      // A second one while this one is under way is refused, with a way to the open one.
      const again = await agent.post(`/documents/${standard.id}/amendment`).type('form').send({ _csrf: csrf });
      assert.equal(again.status, 409);
      assert.equal(cheerio.load(again.text)('[data-test=amendment-open] a').attr('href'), `/documents/${amendmentId}`);
      // The service the systematic review calls refuses it the same way.
      await assert.rejects(startAmendment(actorOf(secretariatUser), standard.id, { now: new Date() }), (err: Error & { messageKey?: string }) => err.messageKey === 'amendments.underWay');

      let page = cheerio.load((await agent.get(`/documents/${amendmentId}`).expect(200)).text);
      assert.equal(page('[data-test=no-changes]').length, 1);
      await editAmendment(amendmentId);
      page = cheerio.load((await agent.get(`/documents/${amendmentId}`).expect(200)).text);
      const instructions = page('[data-test^=change-] strong').map((_, e) => page(e).text()).get();
      assert.deepEqual(instructions.map((t) => t.replace(/\d+(\.\d+)*/g, 'N')), ['Пункт N изложить в новой редакции:', 'Пункт N изложить в новой редакции:', 'Дополнить пунктом N:', 'Пункт N исключить.']);
      assert.equal(page('[data-test=change-replace] details').length, 2, 'each replaced clause shows its text in force');
      assert.match(page('[data-test=amendment-changes]').text(), /Изделия консервируют по ГОСТ 9\.014/);
      // Its draft's PDF is in the form of an amendment too, marked a draft.
      const draftPdf = pdfText((await agent.get(`/documents/${amendmentId}/revisions/1/pdf`).buffer(true).parse(binary).expect(200)).body as Buffer);
      assert.match(draftPdf, new RegExp(`Проект изменения к ${standard.designation}`));
      assert.match(draftPdf, /Пункт \d+(\.\d+)* исключить\./);
      assert.match(draftPdf, /ПРОЕКТ/);

      await approveDoc(amendmentId, secretariatUser);
      const published = await publish(actorOf(secretariatUser), amendmentId, entryInDays(20), publishOptions());
      assert.equal(published.designation, `Изменение № 1 к ${standard.designation}`);
      assert.equal(published.amendmentNumber, 1);
      assert.equal(published.state, 'published');
      const { bytes, file } = await storedFileOf(published);
      assert.equal(file.metadata.signature?.signer !== undefined, true);
      const text = pdfText(bytes);
      assert.match(text, new RegExp(`Изменение № 1 к ${standard.designation}`));
      assert.match(text, /Пункт \d+(\.\d+)* изложить в новой редакции: «Изделия должны сохранять значения параметров в условиях, установленных в технических условиях, в том числе при повышенной влажности\.»/);
      assert.match(text, /Дополнить пунктом \d+(\.\d+)*: «Консервация Изделия консервируют по ГОСТ 9\.014\.»/);
      assert.match(text, /Пункт \d+(\.\d+)* исключить\./);
      assert.match(text, /Напряжение питания: \(3,3 ± 0,3\) В/);
      assert.match(text, /Дата введения в действие/);
      qpdfCheck(bytes);
    });

    it('makes the consolidated edition with exactly the changed clauses, lists it in the catalogue, and tells the followers what changed', async () => {
      const follower = await makeUser('manufacturer');
      const f = await signIn(app, follower);
      await f.agent.post('/account/subscriptions').type('form').send({ _csrf: f.csrf, groups: 'integrated-circuits' }).expect(303);
      const standard = await publishedStandard();
      const before = await getDocument(undefined, standard.id);
      const firstEdition = await storedFileOf(before);
      const amendment = await startAmendment(actorOf(secretariatUser), standard.id, { now: new Date() });
      const amendmentId = String(amendment._id);
      await editAmendment(amendmentId);
      await approveDoc(amendmentId, secretariatUser);
      const published = await publish(actorOf(secretariatUser), amendmentId, entryInDays(20), publishOptions());

      // The standard: a new frozen revision holding the consolidated text, the same designation, two editions.
      const after = await getDocument(undefined, standard.id);
      assert.equal(after.designation, standard.designation);
      assert.equal(after.publication!.designation, standard.designation);
      assert.equal(after.editions!.length, 2);
      assert.equal(after.publication!.revision, before.publication!.revision + 1);
      assert.deepEqual(after.editions![1]!.amendments.map((a) => a.designation), [published.designation]);
      const [oldText, newText, amendmentText] = await Promise.all([getRevision(after, before.publication!.revision), getRevision(after, after.publication!.revision), getRevision(published, published.currentRevision)]);
      assert.ok((await getRevision(after, after.publication!.revision)).frozen);
      // Clause by clause: every clause is the standard's except exactly the changed ones.
      const oldByKey = new Map(oldText.clauses.map((c) => [c.key, c]));
      const newByKey = new Map(newText.clauses.map((c) => [c.key, c]));
      const requirementKey = oldText.clauses.find((c) => c.kind === 'requirement')!.key;
      const addedKey = amendmentText.clauses.find((c) => c.heading === 'Консервация')!.key;
      const changed = [...newByKey.keys()].filter((k) => JSON.stringify(oldByKey.get(k)) !== JSON.stringify(newByKey.get(k)));
      assert.deepEqual(changed.sort(), [requirementKey, 'resistance-climatic', addedKey].sort());
      assert.deepEqual([...oldByKey.keys()].filter((k) => !newByKey.has(k)), ['methods-instruments']);
      assert.deepEqual(newText.clauses, amendmentText.clauses, 'here the amendment moved nothing: its text is the consolidated one');
      assert.equal(newText.clauses.findIndex((c) => c.key === addedKey), newText.clauses.findIndex((c) => c.key === 'marking') + 1);

      // Its own PDF and hash: the consolidated text, with the note on the cover; the first edition kept.
      const newest = await storedFileOf(after);
      assert.notEqual(newest.file.metadata.sha256, firstEdition.file.metadata.sha256);
      const text = pdfText(newest.bytes);
      assert.match(text, new RegExp(`Издание \\(\\d{4} г\\.\\) с Изменением № 1`));
      assert.match(text, new RegExp(standard.designation));
      assert.match(text, /в том числе при повышенной влажности/);
      assert.match(text, /Изделия консервируют по ГОСТ 9\.014/);
      assert.doesNotMatch(text, /Средства измерений, применяемы/);
      qpdfCheck(newest.bytes);
      const anon = () => request(app);
      const current = (await anon().get(`/catalogue/${standard.id}/pdf`).buffer(true).parse(binary).expect(200)).body as Buffer;
      assert.equal(createHash('sha256').update(current).digest('hex'), newest.file.metadata.sha256, 'the newest edition is the download');
      const older = (await anon().get(`/catalogue/${standard.id}/editions/1/pdf`).buffer(true).parse(binary).expect(200)).body as Buffer;
      assert.equal(createHash('sha256').update(older).digest('hex'), firstEdition.file.metadata.sha256);
      await anon().get(`/catalogue/${standard.id}/editions/3/pdf`).expect(404);
      await anon().get(`/catalogue/${standard.id}/editions/x/pdf`).expect(404);
      // Both editions verify as authentic.
      for (const sha of [firstEdition.file.metadata.sha256, newest.file.metadata.sha256]) {
        const v = (await anon().get(`/api/verify/${sha}`).expect(200)).body as { authentic: boolean; designation?: string };
        assert.equal(v.authentic, true);
      }

      // The Word copy follows the newest edition, with its note.
      const docx = (await anon().get(`/catalogue/${standard.id}/docx`).buffer(true).parse(binary).expect(200)).body as Buffer;
      const xml = (await (await JSZip.loadAsync(docx)).file('word/document.xml')!.async('string')).replace(/<[^>]+>/g, '');
      assert.match(xml, /Издание \(\d{4} г\.\) с Изменением № 1/);
      assert.match(xml, /Изделия консервируют по ГОСТ 9\.014/);

      // The catalogue page: the amendment and both editions, newest first.
      const page = cheerio.load((await anon().get(`/catalogue/${standard.id}`).expect(200)).text);
      assert.equal(page('[data-test=amendment] a').text(), published.designation);
      assert.equal(page('[data-test=amendment] a').attr('href'), `/catalogue/${amendmentId}`);
      assert.match(page('[data-test=edition-2]').text(), /Издание \(\d{4} г\.\) с Изменением № 1/);
      assert.match(page('[data-test=edition-2]').text(), /действующее издание/);
      assert.equal(page('[data-test=edition-1] a').attr('href'), `/catalogue/${standard.id}/editions/1/pdf`);
      const amendmentPage = cheerio.load((await anon().get(`/catalogue/${amendmentId}`).expect(200)).text);
      assert.equal(amendmentPage('[data-test=amends-standard] a').attr('href'), `/catalogue/${standard.id}`);

      // The requirements register follows the consolidated text.
      const register = (await anon().get(`/catalogue/${standard.id}/requirements.json`).expect(200)).body as { requirements?: { key: string; nominal: number }[] } | { key: string; nominal: number }[];
      const rows = Array.isArray(register) ? register : register.requirements!;
      assert.equal(rows.find((r) => r.key === requirementKey)!.nominal, 3.3);

      // The followers are told what changed, with the requirement whose value changed.
      const mail = await testEnv().smtp.waitFor(follower.email, (m) => m.subject.includes(published.designation!), 10_000);
      assert.match(mail.subject, new RegExp(`Каталог: ${standard.designation} — изменён`));
      assert.match(mail.text.replace(/\s+/g, ' '), /Напряжение питания \(пункт 4\.2\.2\): было \(5 ± 0,5\) В, стало \(3,3 ± 0,3\) В/);
      assert.match(mail.text.replace(/\s+/g, ' '), /исключены пункты 8\.2/);
    });

    it('finishes a publication interrupted after the amendment\'s file was stored: one number, one edition', async () => {
      const standard = await publishedStandard();
      const amendment = await startAmendment(actorOf(secretariatUser), standard.id, { now: new Date() });
      const amendmentId = String(amendment._id);
      await editAmendment(amendmentId);
      await approveDoc(amendmentId, secretariatUser);
      await assert.rejects(publish(actorOf(secretariatUser), amendmentId, entryInDays(20), publishOptions({ afterStep: (step) => { if (step === 'store') throw new Error('simulated crash'); } })), /simulated crash/);
      assert.equal((await getDocument(undefined, standard.id)).editions, undefined, 'the crash came before the consolidated edition');
      const published = await publish(actorOf(secretariatUser), amendmentId, entryInDays(20), publishOptions());
      assert.equal(published.designation, `Изменение № 1 к ${standard.designation}`);
      const after = await getDocument(undefined, standard.id);
      assert.equal(after.editions!.length, 2);
      assert.equal(await mongoose.connection.db!.collection('amendmentnumbers').countDocuments({ standard: after._id }), 1);
      assert.equal((await filesOf(standard.id)).files, 2, 'the first edition and the consolidated one');
      // Publishing it again is refused, and changes nothing.
      await assert.rejects(publish(actorOf(secretariatUser), amendmentId, entryInDays(20), publishOptions()), (err: Error & { messageKey?: string }) => err.messageKey === 'publishing.alreadyPublished');
      assert.equal((await getDocument(undefined, standard.id)).editions!.length, 2);
      // A second amendment may start now, and takes number 2.
      const second = await startAmendment(actorOf(secretariatUser), standard.id, { now: new Date() });
      assert.equal(String(second.amends), standard.id);
      assert.notEqual(String(second._id), amendmentId);
      assert.equal(second.amendsRevision, after.publication!.revision, 'it amends the consolidated text');
    });

    it('lists a published amendment in the catalogue by its changes, with no register or STS of the standard\'s full text', async () => {
      const standard = await publishedStandard();
      const amendment = await startAmendment(actorOf(secretariatUser), standard.id, { now: new Date() });
      const amendmentId = String(amendment._id);
      await editAmendment(amendmentId);
      await approveDoc(amendmentId, secretariatUser);
      // Its draft's Word copy is the draft of an amendment, like its draft's PDF.
      const { agent } = await signIn(app, secretariatUser);
      const draftDocx = await docxPlainText((await agent.get(`/documents/${amendmentId}/revisions/1/docx`).buffer(true).parse(binary).expect(200)).body as Buffer);
      assert.match(draftDocx, new RegExp(`Проект изменения к ${standard.designation}`));
      assert.match(draftDocx, /Пункт \d+(\.\d+)* исключить\./);
      const published = await publish(actorOf(secretariatUser), amendmentId, entryInDays(20), publishOptions());
      // Its Word copy is the amendment's form, the content of its PDF — not the standard's full text.
      const docxBytes = (await request(app).get(`/catalogue/${amendmentId}/docx`).buffer(true).parse(binary).expect(200)).body as Buffer;
      const docx = await docxPlainText(docxBytes);
      assert.match(docx, new RegExp(`Изменение № 1 к ${standard.designation}`));
      // LibreOffice opens it and prints the amendment's heading and its changes.
      const printed = (await docxText(docxBytes)).replace(/\s+/g, ' ');
      assert.match(printed, new RegExp(`Изменение № 1 к ${standard.designation}`));
      assert.match(printed, /Пункт \d+(\.\d+)* исключить\./);
      assert.match(docx, /Дата введения в действие/);
      assert.match(docx, /Пункт \d+(\.\d+)* изложить в новой редакции:«Изделия должны сохранять значения параметров в условиях, установленных в технических условиях, в том числе при повышенной влажности\.»/);
      assert.match(docx, /Дополнить пунктом \d+(\.\d+)*:«Консервация/);
      assert.match(docx, /Пункт \d+(\.\d+)* исключить\./);
      assert.match(docx, /Напряжение питания: \(3,3 ± 0,3\) В/);
      assert.doesNotMatch(docx, /ВВЕДЁН ВПЕРВЫЕ|Предисловие|Содержание/, 'no cover, foreword or contents of the standard');
      const pdf = pdfText((await storedFileOf(published)).bytes);
      assert.ok((docx.match(/(изложить в новой редакции|Дополнить|исключить)/g) ?? []).length === (pdf.match(/(изложить в новой редакции|Дополнить|исключить)/g) ?? []).length, 'the same changes as its PDF');
      // The register: the standard's follows its consolidated text; the amendment has none of its own.
      const register = (await request(app).get(`/catalogue/${standard.id}/requirements.json`).expect(200)).body as { requirements: { parameter: string; nominal: number }[] };
      assert.deepEqual(register.requirements.filter((r) => r.parameter === 'Напряжение питания').map((r) => r.nominal), [3.3]);
      for (const what of ['requirements.csv', 'requirements.json', 'sts.xml']) {
        const refused = await request(app).get(`/catalogue/${amendmentId}/${what}`).expect(409);
        assert.match(refused.text, new RegExp(standard.designation));
      }
      await request(app).get(`/api/catalogue/${amendmentId}/sts.xml`).expect(409);
      // Its verification names no STS XML, which it does not have; its standard's does.
      const amendmentSha = published.publication!.sha256!;
      const verdict = (await request(app).get(`/api/verify/${amendmentSha}`).expect(200)).body as { publication: { sts: string | null } };
      assert.equal(verdict.publication.sts, null);
      // Its page: its changes and its standard, not the register's or the full text's links.
      const page = cheerio.load((await request(app).get(`/catalogue/${amendmentId}`).expect(200)).text);
      assert.equal(page('[data-test=designation]').text(), published.designation);
      const instructions = page('[data-test=amendment-changes] li strong').map((_, e) => page(e).text()).get();
      assert.deepEqual(instructions.map((t) => t.replace(/\d+(\.\d+)*/g, 'N')), ['Пункт N изложить в новой редакции:', 'Пункт N изложить в новой редакции:', 'Дополнить пунктом N:', 'Пункт N исключить.']);
      assert.match(page('[data-test=amendment-changes]').text(), /Изделия консервируют по ГОСТ 9\.014/);
      assert.equal(page('[data-test=amended-standard]').attr('href'), `/catalogue/${standard.id}`);
      assert.equal(page('[data-test=requirements-csv], [data-test=requirements-json], [data-test=sts]').length, 0);
      assert.equal(page('[data-test=pdf]').length, 1);
      // Search: the standard's scope finds the standard, not its amendment's copy of it.
      const standardDoc = await getDocument(undefined, standard.id);
      const titleWords = `${standardDoc.titles.ru} ${published.titles.ru} ${standardDoc.titles.en}`.toLowerCase();
      const scopeWord = scopeText((await getRevision(standardDoc, standardDoc.publication!.revision)).clauses).split(/[^\p{L}]+/u).find((w) => w.length > 8 && !titleWords.includes(w.toLowerCase().slice(0, 6)))!;
      const found = cheerio.load((await request(app).get(`/catalogue?q=${encodeURIComponent(published.designation!)}`).expect(200)).text);
      assert.ok(found(`a[href="/catalogue/${amendmentId}"]`).length >= 1, 'found by its designation');
      const byScope = cheerio.load((await request(app).get(`/catalogue?q=${encodeURIComponent(scopeWord)}`).expect(200)).text);
      assert.ok(byScope(`a[href="/catalogue/${standard.id}"]`).length >= 1, 'the standard is found by its scope');
      assert.equal(byScope(`a[href="/catalogue/${amendmentId}"]`).length, 0);
    });

    it('tells a revision («Начать пересмотр») from an amendment («Подготовить изменение № N») on the standard\'s pages, in both languages', async () => {
      const standard = await publishedStandard();
      const { agent } = await signIn(app, secretariatUser);
      const docPage = cheerio.load((await agent.get(`/documents/${standard.id}`).expect(200)).text);
      assert.equal(docPage(`a[href="/documents/${standard.id}/amend"]`).text().trim(), 'Пересмотреть или изменить');
      let page = cheerio.load((await agent.get(`/documents/${standard.id}/amend`).expect(200)).text);
      assert.equal(page('[data-test=amend]').text().trim(), 'Начать пересмотр');
      assert.match(page('[data-test=amend-hint]').text(), new RegExp(`заменит ${standard.designation}`));
      assert.equal(page('[data-test=start-amendment]').text().trim(), 'Подготовить изменение № 1');
      assert.match(page('[data-test=start-amendment-hint]').text(), /остаётся в силе/);
      const english = await signIn(app, secretariatUser);
      await english.agent.get('/locale/en');
      const en = cheerio.load((await english.agent.get(`/documents/${standard.id}/amend`).expect(200)).text);
      assert.equal(en('[data-test=amend]').text().trim(), 'Start a revision');
      assert.equal(en('[data-test=start-amendment]').text().trim(), 'Prepare Amendment No. 1');
      assert.match(en('[data-test=start-amendment-hint]').text(), /stays in force/);
      // After Изменение № 1 is published, the next one offered is № 2.
      const first = await startAmendment(actorOf(secretariatUser), standard.id, { now: new Date() });
      await editAmendment(String(first._id));
      await approveDoc(String(first._id), secretariatUser);
      await publish(actorOf(secretariatUser), String(first._id), entryInDays(20), publishOptions());
      page = cheerio.load((await agent.get(`/documents/${standard.id}/amend`).expect(200)).text);
      assert.equal(page('[data-test=start-amendment]').text().trim(), 'Подготовить изменение № 2');
    });

    it('makes one amendment for a double click on «Подготовить изменение»', async () => {
      const standard = await publishedStandard();
      const tries = await Promise.allSettled([0, 1, 2].map(() => startAmendment(actorOf(secretariatUser), standard.id, { now: new Date() })));
      const made = tries.flatMap((t) => (t.status === 'fulfilled' ? [String(t.value._id)] : []));
      assert.ok(made.length >= 1);
      assert.equal(new Set(made).size, 1);
      for (const t of tries) if (t.status === 'rejected') assert.equal((t.reason as { messageKey?: string }).messageKey, 'amendments.underWay');
      assert.equal(await mongoose.connection.db!.collection('documents').countDocuments({ amends: new mongoose.Types.ObjectId(standard.id) }), 1);
      // A retry with the caller's own id finds the same draft.
      const again = await startAmendment(actorOf(secretariatUser), standard.id, { now: new Date(), id: new mongoose.Types.ObjectId(made[0]!) });
      assert.equal(String(again._id), made[0]);
      // While it is open the standard is not revised by a successor, and the other way round.
      await assert.rejects(amend(actorOf(secretariatUser), standard.id, new Date(), testSystem().lifecycle), (err: Error & { messageKey?: string }) => err.messageKey === 'amendments.amendmentOpen');
      // Once it is cancelled, a new one may start.
      await transition(actorOf(secretariatUser), made[0]!, 'cancel', { now: new Date(), note: 'Подготовим иначе.' });
      const next = await startAmendment(actorOf(secretariatUser), standard.id, { now: new Date() });
      assert.notEqual(String(next._id), made[0]);
      assert.equal(next.state, 'draft');
      await transition(actorOf(secretariatUser), String(next._id), 'cancel', { now: new Date(), note: 'Пересмотрим.' });
      await amend(actorOf(secretariatUser), standard.id, new Date(), testSystem().lifecycle);
      await assert.rejects(startAmendment(actorOf(secretariatUser), standard.id, { now: new Date() }), (err: Error & { messageKey?: string }) => err.messageKey === 'amendments.revisionUnderWay');
    });
  });
});
