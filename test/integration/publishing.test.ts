import type { Day } from '../../server/time/days.js';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { Express } from 'express';
import * as cheerio from 'cheerio';
import request from 'supertest';
import { mongoose } from '../../server/db/mongoose.js';
import { DocumentModel, type DocumentRecord } from '../../server/documents/model.js';
import { getDocument, getRevision } from '../../server/documents/index.js';
import { transition, testSystem } from '../helpers/app.js';
import { Designation } from '../../server/publishing/model.js';
import { committeeYear, takeDesignation } from '../../server/publishing/designation.js';
import { amend, publish, type PublicationStep } from '../../server/publishing/service.js';
import { castVote } from '../../server/ballots/service.js';
import { makeBallotDocument } from '../helpers/ballots.js';
import { csrfOf, signIn, tokenFor, type Agent } from '../helpers/agent.js';
import { publicUrl, testApp } from '../helpers/app.js';
import { actorOf, makeDocument, makeUser, type MadeUser } from '../helpers/factories.js';
import { alertOf } from '../helpers/comments.js';
import { formatDay } from '../../server/time/format.js';
import { approve, binary, entryInDays, filesOf, inDays, makeApprovedDocument, makePublishedDocument, publishOptions, storedFileOf } from '../helpers/publishing.js';
import { PdfFile, squash } from '../unit/pdf/tools.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const designationPattern = /^СТ СГ (\d+)-(\d{4})$/;

/** The document as stored, for checks that must not depend on the service's view of it. */
async function stored(id: string): Promise<DocumentRecord> {
  return (await DocumentModel.findById(id).select({ state: 1, designation: 1, publication: 1, supersedes: 1, supersededBy: 1, withdrawal: 1, history: 1, rev: 1, currentRevision: 1 }).lean<DocumentRecord>())!;
}

describe('publication', function () {
  this.timeout(120_000);
  let app: Express;
  let secretariatUser: MadeUser;
  let secretariat: { agent: Agent; csrf: string };

  before(async () => {
    app = testApp();
    secretariatUser = await makeUser('secretariat');
    secretariat = await signIn(app, secretariatUser);
  });

  /** The publish form's CSRF token and the form posted with two dates. */
  async function postPublish(id: string, dates: { BY?: string; RU?: string } = {}): Promise<request.Response> {
    const page = await secretariat.agent.get(`/documents/${id}/publish`).expect(200);
    const $ = cheerio.load(page.text);
    const body: Record<string, string> = { _csrf: csrfOf(page.text) };
    for (const c of ['BY', 'RU'] as const) {
      const v = dates[c] ?? $(`input[name=entryIntoForce${c}]`).val();
      if (v !== undefined) body[`entryIntoForce${c}`] = String(v);
    }
    return secretariat.agent.post(`/documents/${id}/publish`).type('form').send(body);
  }

  describe('designations', () => {
    it('gives 20 concurrent publications of 20 approved documents 20 distinct consecutive numbers', async () => {
      const docs = await Promise.all(Array.from({ length: 20 }, () => makeApprovedDocument({ by: secretariatUser })));
      const published = await Promise.all(docs.map((d) => publish(actorOf(secretariatUser), d.id, entryInDays(10), publishOptions())));
      const numbers = published.map((p) => {
        const m = designationPattern.exec(p.designation!);
        assert.ok(m, `designation «${p.designation}» follows «СТ СГ n-year»`);
        assert.equal(Number(m[2]), committeeYear(new Date()));
        assert.equal(p.publication!.designation, p.designation);
        return Number(m[1]);
      });
      const sorted = [...numbers].sort((a, b) => a - b);
      assert.equal(new Set(numbers).size, 20, 'no number given twice');
      assert.deepEqual(sorted, Array.from({ length: 20 }, (_, i) => sorted[0]! + i), 'no number skipped');
      // Nothing else in the register for those numbers, and each record is bound to its document.
      const records = await Designation.find({ n: mongoose.trusted({ $gte: sorted[0], $lte: sorted[19] }), year: committeeYear(new Date()) }).select({ document: 1, designation: 1 }).lean();
      assert.equal(records.length, 20);
      for (const p of published) assert.ok(records.some((r) => String(r.document) === String(p._id) && r.designation === p.designation));
    });

    it('gives a document the number it already took when asked again, even many times at once', async () => {
      const doc = new mongoose.Types.ObjectId();
      const taken = await Promise.all(Array.from({ length: 10 }, () => takeDesignation({ now: new Date(), document: doc, revision: 1, entryIntoForce: [] })));
      assert.equal(new Set(taken.map((t) => t.designation)).size, 1);
      assert.equal(await Designation.countDocuments({ document: doc }), 1);
      await Designation.deleteOne({ document: doc });
    });

    it('numbers by the committee-time year and the configured prefix', async () => {
      assert.equal(committeeYear(new Date('2027-12-31T21:30:00Z')), 2028, '00:30 on 1 January in Minsk');
      assert.equal(committeeYear(new Date('2027-12-31T20:30:00Z')), 2027);
    });
  });

  describe('a resumable operation', () => {
    const steps: PublicationStep[] = ['number', 'render', 'store', 'mark'];
    for (const crashAt of steps) {
      it(`finishes after a crash after the "${crashAt}" step without a second number or a second file`, async () => {
        const { id, by } = await makeApprovedDocument();
        const crash = (step: PublicationStep) => {
          if (step === crashAt) throw new Error(`simulated crash after ${step}`);
        };
        await assert.rejects(publish(actorOf(by), id, entryInDays(20), publishOptions({ afterStep: crash })), /simulated crash/);
        const first = await Designation.findOne({ document: id }).select({ designation: 1, fileId: 1 }).lean();
        assert.ok(first, 'the number stays bound to the document');
        const between = await stored(id);
        assert.equal(between.state, crashAt === 'mark' ? 'published' : 'approved');
        assert.equal((await filesOf(id)).files, crashAt === 'store' || crashAt === 'mark' ? 1 : 0);

        if (crashAt === 'mark') {
          await assert.rejects(publish(actorOf(by), id, entryInDays(20), publishOptions()), (err: Error & { messageKey?: string }) => err.messageKey === 'publishing.alreadyPublished');
        } else {
          await publish(actorOf(by), id, entryInDays(20), publishOptions());
        }
        const doc = await stored(id);
        assert.equal(doc.state, 'published');
        assert.equal(doc.designation, first.designation);
        assert.equal(await Designation.countDocuments({ document: id }), 1);
        const { file, bytes } = await storedFileOf(doc);
        assert.equal(String(file._id), String(first.fileId));
        assert.deepEqual(await filesOf(id), { files: 1, chunks: Math.ceil(bytes.length / 255 / 1024) });
        assert.equal(doc.publication!.sha256, sha256(bytes));
        assert.equal(doc.publication!.size, bytes.length);
        assert.equal(doc.history.filter((e) => e.action === 'publish').length, 1);
      });
    }

    it('replaces the chunks a crash left half-written', async () => {
      const { id, by } = await makeApprovedDocument();
      await assert.rejects(publish(actorOf(by), id, entryInDays(20), publishOptions({ afterStep: (s) => { if (s === 'number') throw new Error('simulated crash'); } })));
      const record = (await Designation.findOne({ document: id }).select({ fileId: 1 }).lean())!;
      // What an upload cut short leaves: chunks under the file's id, and no file entry.
      await mongoose.connection.db!.collection('publications.chunks').insertMany([0, 1].map((n) => ({ files_id: record.fileId, n, data: Buffer.from(`garbage ${n}`) })));
      const doc = await publish(actorOf(by), id, entryInDays(20), publishOptions());
      const { bytes } = await storedFileOf(doc);
      assert.ok(bytes.subarray(0, 5).equals(Buffer.from('%PDF-')));
      assert.equal(sha256(bytes), doc.publication!.sha256);
      assert.deepEqual(await filesOf(id), { files: 1, chunks: Math.ceil(bytes.length / 255 / 1024) });
    });

    it('refuses a second attempt while the first holds the publication, and finishes once its lease runs out', async () => {
      const { id, by } = await makeApprovedDocument();
      await assert.rejects(publish(actorOf(by), id, entryInDays(20), publishOptions({ afterStep: (s) => { if (s === 'number') throw new Error('simulated crash'); } })));
      // A server that died in the middle of rendering left its lease behind.
      await Designation.updateOne({ document: id }, { $set: { lease: { id: 'dead', until: new Date(Date.now() + 60_000) } } });
      const refused = await postPublish(id);
      assert.equal(refused.status, 409);
      assert.match(alertOf(refused), /уже выполняется/);
      assert.equal((await stored(id)).state, 'approved');
      await Designation.updateOne({ document: id }, { $set: { 'lease.until': new Date(Date.now() - 1000) } });
      await postPublish(id).then((r) => assert.equal(r.status, 303));
      assert.equal((await stored(id)).state, 'published');
    });

    it('lets two clicks at once publish the document once', async () => {
      const { id } = await makeApprovedDocument();
      const answers = await Promise.all([postPublish(id), postPublish(id), postPublish(id)]);
      assert.ok(answers.some((r) => r.status === 303), answers.map((r) => r.status).join(', '));
      for (const r of answers) assert.ok([303, 409].includes(r.status), `status ${r.status}`);
      assert.equal((await stored(id)).state, 'published');
      assert.equal(await Designation.countDocuments({ document: id }), 1);
      assert.equal((await filesOf(id)).files, 1);
    });
  });

  describe('the publish page', () => {
    it('publishes an approved document from the form and shows it published with its download', async () => {
      const { id } = await makeApprovedDocument();
      const page = cheerio.load((await secretariat.agent.get(`/documents/${id}`).expect(200)).text);
      assert.equal(page('a[data-test=transition-publish]').attr('href'), `/documents/${id}/publish`);
      assert.equal(page('form[action$="/transitions/publish"]').length, 0, 'no generic button for publication');
      const [by, ru] = [inDays(400), inDays(460)];
      const res = await postPublish(id, { BY: by, RU: ru });
      assert.equal(res.status, 303);
      assert.equal(res.headers.location, `/documents/${id}`);
      const doc = await stored(id);
      assert.equal(doc.state, 'published');
      const eif = doc.publication!.entryIntoForce as unknown as Record<string, string>;
      assert.equal(eif.BY, by);
      assert.equal(eif.RU, ru);
      const shown = cheerio.load((await secretariat.agent.get(`/documents/${id}`).expect(200)).text);
      assert.match(shown('[data-test=publication]').text(), new RegExp(doc.designation!));
      assert.equal(shown('a[data-test=published-pdf]').attr('href'), `/catalogue/${id}/pdf`);
      assert.equal(shown('a[data-test=transition-amend]').attr('href'), `/documents/${id}/amend`);
      assert.equal(shown('a[data-test=transition-withdraw]').attr('href'), `/documents/${id}/withdraw`);
    });

    it('refuses publishing twice with a clear message, and changes nothing', async () => {
      const { id, doc } = await makePublishedDocument({ by: secretariatUser });
      const page = cheerio.load((await secretariat.agent.get(`/documents/${id}/publish`).expect(200)).text);
      assert.match(page('[data-test=already-published]').text(), new RegExp(`уже опубликован как ${doc.designation}`));
      const again = await secretariat.agent.post(`/documents/${id}/publish`).type('form').send({ _csrf: secretariat.csrf, entryIntoForceBY: inDays(400), entryIntoForceRU: inDays(400) });
      assert.equal(again.status, 409);
      assert.match(alertOf(again), /повторная публикация невозможна/);
      const after = await stored(id);
      assert.equal(after.designation, doc.designation);
      assert.equal(after.rev, doc.rev);
      assert.equal(await Designation.countDocuments({ document: id }), 1);
      assert.equal((await filesOf(id)).files, 1);
    });

    it('refuses a document that is not approved', async () => {
      const { id } = await makeDocument({ by: secretariatUser });
      const page = cheerio.load((await secretariat.agent.get(`/documents/${id}/publish`).expect(200)).text);
      assert.match(page('[data-test=cannot-publish]').text(), /только принятый/);
      const res = await secretariat.agent.post(`/documents/${id}/publish`).type('form').send({ _csrf: secretariat.csrf, entryIntoForceBY: inDays(400), entryIntoForceRU: inDays(400) });
      assert.equal(res.status, 409);
      assert.equal(await Designation.countDocuments({ document: id }), 0);
    });

    it('checks the dates of entry into force and takes no number for bad ones', async () => {
      const { id } = await makeApprovedDocument({ by: secretariatUser });
      const cases: [Record<string, string>, RegExp][] = [
        [{ entryIntoForceBY: inDays(400) }, /Заполните это поле/],
        [{ entryIntoForceBY: `${inDays(400).slice(0, 4)}-02-30`, entryIntoForceRU: inDays(400) }, /ГГГГ-ММ-ДД/],
        [{ entryIntoForceBY: inDays(400).split('-').reverse().join('.'), entryIntoForceRU: inDays(400) }, /ГГГГ-ММ-ДД/],
        [{ entryIntoForceBY: inDays(-1), entryIntoForceRU: inDays(400) }, /раньше даты публикации/],
        [{ entryIntoForceBY: inDays(400), entryIntoForceRU: inDays(11 * 366) }, /десять лет/],
        [{ entryIntoForceBY: inDays(400), entryIntoForceRU: inDays(400), designation: 'СТ СГ 1-2027' }, /designation/],
      ];
      for (const [body, message] of cases) {
        const res = await secretariat.agent.post(`/documents/${id}/publish`).type('form').send({ _csrf: secretariat.csrf, ...body });
        assert.equal(res.status, 422, JSON.stringify(body));
        assert.match(cheerio.load(res.text)('.alert, .error').text(), message, JSON.stringify(body));
      }
      assert.equal((await stored(id)).state, 'approved');
      assert.equal(await Designation.countDocuments({ document: id }), 0);
    });

    it('keeps the generic transition path from publishing, amending, withdrawing or superseding', async () => {
      const approved = await makeApprovedDocument({ by: secretariatUser });
      const res = await secretariat.agent.post(`/documents/${approved.id}/transitions/publish`).type('form').send({ _csrf: secretariat.csrf });
      assert.equal(res.status, 409);
      assert.match(alertOf(res), new RegExp(`/documents/${approved.id}/publish`));
      const bearer = await tokenFor(secretariatUser);
      const api = await request(app).post(`/api/documents/${approved.id}/transitions/publish`).set('Authorization', `Bearer ${bearer}`).send({}).expect(409);
      assert.match(api.body.error.message, /отдельной странице/);
      assert.equal((await stored(approved.id)).state, 'approved');

      const { id } = await makePublishedDocument({ by: secretariatUser });
      for (const name of ['amend', 'withdraw', 'supersede']) {
        const r = await secretariat.agent.post(`/documents/${id}/transitions/${name}`).type('form').send({ _csrf: secretariat.csrf });
        assert.equal(r.status, 409, name);
        assert.match(alertOf(r), name === 'supersede' ? /автоматически/ : new RegExp(`/documents/${id}/${name}`), name);
      }
      assert.equal((await stored(id)).state, 'published');
      await assert.rejects(transition(actorOf(secretariatUser), id, 'withdraw', { now: new Date() }), (err: Error & { messageKey?: string }) => err.messageKey === 'publishing.useForm.withdraw');
    });
  });

  describe('the agreed PDF', () => {
    it('is published with its designation, the QR code of its verification page, the votes and the dates of entry into force', async () => {
      const votes = async () => [
        { country: 'Республика Беларусь', code: 'BY', vote: 'approve' as const, date: '2027-05-14' as Day },
        { country: 'Российская Федерация', code: 'RU', vote: 'approve' as const, date: '2027-05-15' as Day },
      ];
      const { id } = await makeApprovedDocument({ by: secretariatUser });
      const [by, ru] = [inDays(500), inDays(560)];
      const doc = await publish(actorOf(secretariatUser), id, { entryIntoForce: { BY: by, RU: ru } }, publishOptions({ votes }));
      const { bytes } = await storedFileOf(doc);
      const pdf = new PdfFile(bytes);
      try {
        const pages = pdf.pages();
        const cover = squash(pages[0]!);
        assert.match(cover, new RegExp(doc.designation!));
        assert.match(cover, /Издание официальное/);
        assert.match(cover, new RegExp(`Проверка подлинности: ${publicUrl}/verify/${id}`));
        assert.doesNotMatch(pdf.text(), /ПРОЕКТ \/ DRAFT/);
        const foreword = squash(pages[1]!);
        assert.match(foreword, /За принятие проголосовали/);
        assert.match(foreword, new RegExp(`Республика Беларусь — с ${by.replace(/-/g, '—')}`));
        assert.match(foreword, new RegExp(`Российская Федерация — с ${ru.replace(/-/g, '—')}`));
        pages.slice(2).forEach((p, i) => assert.match(p, new RegExp(doc.designation!), `running head on page ${i + 3}`));
      } finally {
        pdf.remove();
      }
    });

    it('prints the votes of the ballot that approved it, read from the ballot record', async () => {
      const { id, secretariat: by, heads } = await makeBallotDocument();
      await castVote(actorOf(heads.BY), id, { vote: 'approve' }, { now: new Date(), lifecycle: testSystem().lifecycle });
      await castVote(actorOf(heads.RU), id, { vote: 'abstain' }, { now: new Date(), lifecycle: testSystem().lifecycle });
      assert.equal((await stored(id)).state, 'approved');
      const doc = await publish(actorOf(by), id, entryInDays(30), publishOptions());
      const pdf = new PdfFile((await storedFileOf(doc)).bytes);
      try {
        const foreword = squash(pdf.pages()[1]!);
        assert.match(foreword, /За принятие проголосовали/);
        // The national standards bodies as the delegations name them (server/delegations).
        assert.match(foreword, /Республика Беларусь BY Госстандарт Республики (Беларусь )?за \d{4}—\d{2}—\d{2}/);
        assert.match(foreword, /Российская Федерация RU Росстандарт воздержался/);
      } finally {
        pdf.remove();
      }
    });

    it('is served from storage for the published revision, never rendered again', async () => {
      const { id, doc } = await makePublishedDocument({ by: secretariatUser });
      const res = await request(app).get(`/documents/${id}/revisions/${doc.publication!.revision}/pdf`).expect(302);
      assert.equal(res.headers.location, `/catalogue/${id}/pdf`);
      const { bytes } = await storedFileOf(doc);
      const got = await request(app).get(`/catalogue/${id}/pdf`).buffer(true).parse(binary).expect(200);
      assert.ok((got.body as Buffer).equals(bytes));
    });
  });

  describe('amendment', () => {
    it('starts a successor draft from the published text, which supersedes the old version once published', async () => {
      const { id: oldId, doc: old } = await makePublishedDocument({ by: secretariatUser });
      const page = cheerio.load((await secretariat.agent.get(`/documents/${oldId}/amend`).expect(200)).text);
      const res = await secretariat.agent.post(`/documents/${oldId}/amend`).type('form').send({ _csrf: csrfOf(page.html()) }).expect(303);
      const newId = /\/documents\/([0-9a-f]{24})$/.exec(res.headers.location!)![1]!;
      assert.notEqual(newId, oldId);

      const successor = await getDocument(actorOf(secretariatUser), newId);
      assert.equal(successor.state, 'draft');
      assert.equal(successor.currentRevision, 1);
      assert.equal(String(successor.supersedes), oldId);
      assert.equal(successor.designation, undefined);
      const [published, copy] = await Promise.all([getRevision(old, old.publication!.revision), getRevision(successor, 1)]);
      assert.deepEqual(copy.clauses.map((c) => c.key), published.clauses.map((c) => c.key));
      assert.deepEqual(copy.clauses, published.clauses);
      assert.equal(copy.frozen, false);

      let before = await stored(oldId);
      assert.equal(before.state, 'published', 'the old version stays in force meanwhile');
      assert.equal(before.history.filter((e) => e.action === 'amend').length, 1);

      // A second amendment while one is under way is refused, and nothing is made.
      const again = await secretariat.agent.post(`/documents/${oldId}/amend`).type('form').send({ _csrf: secretariat.csrf });
      assert.equal(again.status, 409);
      assert.match(alertOf(again), /уже начато/);
      assert.equal(await DocumentModel.countDocuments({ supersedes: oldId }), 1);

      await approve(newId, secretariatUser);
      const next = await publish(actorOf(secretariatUser), newId, entryInDays(40), publishOptions());
      assert.notEqual(next.designation, old.designation);
      before = await stored(oldId);
      assert.equal(before.state, 'withdrawn');
      assert.equal(String(before.supersededBy), newId);
      assert.equal(before.history.at(-1)!.action, 'supersede');

      // Still downloadable, marked superseded with a link to the new version.
      await request(app).get(`/catalogue/${oldId}/pdf`).expect(200);
      const verify = cheerio.load((await request(app).get(`/verify/${oldId}`).expect(200)).text);
      assert.match(verify('[data-test=status]').text(), /Заменён/);
      assert.equal(verify('a[data-test=superseded-by]').attr('href'), `/verify/${newId}`);
      assert.equal(verify('a[data-test=superseded-by]').text(), next.designation);
      const docPage = cheerio.load((await request(app).get(`/documents/${oldId}`).expect(200)).text);
      assert.equal(docPage('a[data-test=superseded-by]').attr('href'), `/documents/${newId}`);
    });

    it('supersedes the old version when the successor\'s publication is resumed after a crash', async () => {
      const { id: oldId, by } = await makePublishedDocument();
      const successor = await amend(actorOf(by), oldId, new Date(), testSystem().lifecycle);
      const newId = String(successor._id);
      await approve(newId, by);
      await assert.rejects(publish(actorOf(by), newId, entryInDays(10), publishOptions({ afterStep: (s) => { if (s === 'mark') throw new Error('simulated crash'); } })));
      assert.equal((await stored(oldId)).state, 'published', 'the crash came before the old version was superseded');
      await assert.rejects(publish(actorOf(by), newId, entryInDays(10), publishOptions()), (err: Error & { messageKey?: string }) => err.messageKey === 'publishing.alreadyPublished');
      const old = await stored(oldId);
      assert.equal(old.state, 'withdrawn');
      assert.equal(String(old.supersededBy), newId);
    });

    it('finishes an amendment interrupted between making the draft and recording it', async () => {
      const { id, by } = await makePublishedDocument();
      const made = await amend(actorOf(by), id, new Date(), testSystem().lifecycle);
      // As if the process died before the 'amend' event: remove it and mark the claim unannounced.
      await DocumentModel.updateOne({ _id: id }, { $pull: { history: { action: 'amend' } } });
      await mongoose.connection.db!.collection('amendments').updateOne({ _id: new mongoose.Types.ObjectId(id) }, { $set: { announced: false } });
      const again = await amend(actorOf(by), id, new Date(), testSystem().lifecycle);
      assert.equal(String(again._id), String(made._id));
      assert.equal(await DocumentModel.countDocuments({ supersedes: id }), 1);
      assert.equal((await stored(id)).history.filter((e) => e.action === 'amend').length, 1);
    });

    it('makes one successor for a double click on "start an amendment"', async () => {
      const { id, by } = await makePublishedDocument();
      const made = await Promise.allSettled([amend(actorOf(by), id, new Date(), testSystem().lifecycle), amend(actorOf(by), id, new Date(), testSystem().lifecycle), amend(actorOf(by), id, new Date(), testSystem().lifecycle)]);
      const ids = new Set(made.filter((m) => m.status === 'fulfilled').map((m) => String((m as PromiseFulfilledResult<DocumentRecord>).value._id)));
      assert.equal(ids.size, 1);
      for (const m of made) if (m.status === 'rejected') assert.equal((m.reason as { messageKey?: string }).messageKey, 'publishing.alreadyAmended');
      assert.equal(await DocumentModel.countDocuments({ supersedes: id }), 1);
      assert.equal((await stored(id)).history.filter((e) => e.action === 'amend').length, 1);
    });

    it('allows a new amendment once the earlier successor was cancelled', async () => {
      const { id, by } = await makePublishedDocument();
      const first = await amend(actorOf(by), id, new Date(), testSystem().lifecycle);
      await transition(actorOf(by), String(first._id), 'cancel', { now: new Date(), note: 'Заменён другим проектом.' });
      const second = await amend(actorOf(by), id, new Date(), testSystem().lifecycle);
      assert.notEqual(String(second._id), String(first._id));
    });

    it('refuses to amend a document that is not published', async () => {
      const { id } = await makeApprovedDocument({ by: secretariatUser });
      const res = await secretariat.agent.post(`/documents/${id}/amend`).type('form').send({ _csrf: secretariat.csrf });
      assert.equal(res.status, 409);
      assert.match(alertOf(res), /опубликованного/);
    });
  });

  describe('withdrawal', () => {
    it('refuses a withdrawal without a reason, and changes nothing', async () => {
      const { id, doc } = await makePublishedDocument({ by: secretariatUser });
      const form = cheerio.load((await secretariat.agent.get(`/documents/${id}/withdraw`).expect(200)).text);
      const csrf = csrfOf(form.html());
      for (const reason of [undefined, '', '   ']) {
        const res = await secretariat.agent.post(`/documents/${id}/withdraw`).type('form').send({ _csrf: csrf, date: inDays(400), ...(reason === undefined ? {} : { reason }) });
        assert.equal(res.status, 422);
        assert.ok(cheerio.load(res.text)('.has-error textarea[name=reason]').length, 'the reason field is marked');
      }
      const early = await secretariat.agent.post(`/documents/${id}/withdraw`).type('form').send({ _csrf: csrf, date: inDays(-1), reason: 'Устарел' });
      assert.equal(early.status, 422);
      assert.match(alertOf(early), /раньше даты публикации/);
      const after = await stored(id);
      assert.equal(after.state, 'published');
      assert.equal(after.rev, doc.rev);
      assert.equal(after.withdrawal, null);
    });

    it('withdraws with a reason and a date: marked withdrawn, still in the catalogue and downloadable', async () => {
      const { id } = await makePublishedDocument({ by: secretariatUser });
      const leaves = inDays(300);
      const res = await secretariat.agent.post(`/documents/${id}/withdraw`).type('form').send({ _csrf: secretariat.csrf, date: leaves, reason: 'Заменён межгосударственным стандартом' });
      assert.equal(res.status, 303);
      const doc = await stored(id);
      assert.equal(doc.state, 'withdrawn');
      assert.equal(doc.withdrawal!.reason, 'Заменён межгосударственным стандартом');
      assert.equal(doc.withdrawal!.date, leaves);
      assert.equal(doc.history.at(-1)!.note, 'Заменён межгосударственным стандартом');
      await request(app).get(`/catalogue/${id}/pdf`).expect(200);
      const verify = cheerio.load((await request(app).get(`/verify/${id}`).expect(200)).text);
      // The day it leaves force is still to come: the page says it is to be, not that it was.
      assert.match(verify('[data-test=status]').text(), new RegExp(`Будет отменён\\s+с ${formatDay(leaves, 'ru').replace(/\./g, '\\.')}: «?Заменён межгосударственным стандартом`));
      const again = await secretariat.agent.post(`/documents/${id}/withdraw`).type('form').send({ _csrf: secretariat.csrf, date: leaves, reason: 'Ещё раз' });
      assert.equal(again.status, 409);
    });
  });
});
