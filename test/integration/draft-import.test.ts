// Importing a legacy draft (DOCX) into the clause structure, on files written by python-docx
// (test/fixtures/draft-import/make_fixtures.py): numbers typed into the text and numbers Word keeps in its
// list definitions, tables (with merged cells), notes and examples, terms, references, annexes, the bibliography; what is
// dropped is listed; tracked changes are refused; bad files are refused; only the secretariat imports,
// each its own uploads; confirming makes the whole draft once, which then passes the clause rules.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as cheerio from 'cheerio';
import type { Express } from 'express';
import { DraftImport } from '../../server/documents/import/model.js';
import { DocumentModel, Revision } from '../../server/documents/model.js';
import { validateClauses, type Clause } from '../../server/text/clauses.js';
import { numberClauses } from '../../server/text/numbering.js';
import request from 'supertest';
import { signIn, tokenFor, type Agent } from '../helpers/agent.js';
import { testApp } from '../helpers/app.js';
import { fixture as commentFixture } from '../helpers/comment-import.js';
import { actorOf, makeUser } from '../helpers/factories.js';
import { uploadDraft } from '../../server/documents/import/service.js';
import type { AppError } from '../../server/errors.js';
import { translate } from '../../server/i18n/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const draft = (name: string) => readFileSync(path.join(here, '../fixtures/draft-import', name));

interface Row { number: string; written: string; kind: string; depth: number; text: string }

describe('draft import', () => {
  let app: Express;
  let secretariat: { agent: Agent; csrf: string };
  before(async () => {
    app = testApp();
    secretariat = await signIn(app, await makeUser('secretariat'));
  });

  const upload = (who: { agent: Agent; csrf: string }, file: Buffer, status = 303, name = 'проект.docx') =>
    who.agent.post('/documents/import').field('_csrf', who.csrf).attach('file', file, name).expect(status);
  const preview = async (location: string) => cheerio.load((await secretariat.agent.get(location).expect(200)).text);
  const rowsOf = ($: cheerio.CheerioAPI): Row[] =>
    $('[data-test=draft-clause]').toArray().map((el) => ({
      number: $(el).attr('data-number')!, written: $(el).attr('data-written')!, kind: $(el).attr('data-kind')!, depth: Number($(el).attr('data-depth')), text: $(el).find('td').last().text().trim(),
    }));
  const details = (csrf: string) => ({ _csrf: csrf, kind: 'general-technical-requirements', titleRu: 'Изделия электронные. Общие технические требования', titleEn: 'Electronic products. General technical requirements', productGroup: 'integrated-circuits', ics: '31.200', developer: 'БелГИСС' });
  const confirm = async (location: string, $: cheerio.CheerioAPI, status = 303, change: Record<string, string> = {}) => {
    const form = $('[data-test=draft-import-confirm]');
    return secretariat.agent.post(form.attr('action') ?? location).type('form').send({ ...details(String(form.find('[name=_csrf]').val())), ...change }).expect(status);
  };
  const clausesOf = async (docId: string): Promise<Clause[]> => (await Revision.findOne({ document: docId, number: 1 }).lean<{ clauses: Clause[] }>())!.clauses;

  describe('numbers typed into the text', () => {
    it('shows the structure found, with numbers, kinds and depths, and what is dropped; nothing is stored before the confirmation', async () => {
      const documents = await DocumentModel.countDocuments();
      const sent = await upload(secretariat, draft('typed.docx'));
      assert.match(sent.headers.location!, /^\/documents\/import\/[0-9a-f]{24}$/);
      const $ = await preview(sent.headers.location!);
      const rows = rowsOf($);
      assert.deepEqual(rows.map((r) => [r.number, r.kind, r.depth]), [
        ['1', 'section', 0],
        ['2', 'section', 0], ['', 'reference', 1], ['', 'reference', 1], ['Примечание', 'note', 1],
        ['3', 'section', 0], ['3.1', 'term', 1], ['3.2', 'term', 1],
        ['4', 'section', 0], ['4.1', 'section', 1], ['4.1.1', 'text', 2], ['4.1.2', 'section', 2],
        ['Таблица 1', 'table', 3], ['Примечание 1', 'note', 3], ['Примечание 2', 'note', 3], ['Пример', 'example', 3],
        ['5', 'section', 0], ['5.1', 'text', 1],
        ['Приложение А', 'section', 0], ['А.1', 'text', 1],
        ['', 'section', 0], ['[1]', 'bibliography', 1], ['[2]', 'bibliography', 1],
      ]);
      assert.deepEqual(rows.filter((r) => r.written).map((r) => r.written), ['1', '2', '3', '3.1', '3.2', '4', '4.1', '4.1.1', '4.1.2', '5', '5.1', 'А', 'А.1']);
      assert.equal($('[data-test=number-differs]').length, 0);
      assert.match(rows[0]!.text, /^Область применения$/);
      assert.match(rows[2]!.text, /^ГОСТ 2\.601–2019 Единая система конструкторской документации/);
      assert.match(rows[6]!.text, /^изделие \(product\): Предмет или набор предметов производства\.$/);
      assert.match(rows[12]!.text, /^Основные параметры \(3 × 2\)$/);
      assert.match(rows[18]!.text, /^Перечень проверок$/);
      assert.match($('[data-test=draft-clause]').eq(18).text(), /\(обязательное\)/);
      assert.equal(rows[20]!.text, 'Библиография');
      const dropped = $('[data-test=draft-dropped] li').toArray().map((el) => [$(el).attr('data-kind'), $(el).text()]);
      assert.deepEqual(dropped.map(([k]) => k).sort(), ['comment', 'figureCaption', 'footnote', 'formula', 'frontMatter', 'image']);
      const text = (kind: string) => dropped.find(([k]) => k === kind)![1]!;
      assert.match(text('image'), /1 рисунок.*отброшен.*в 4\.1\.2/);
      assert.match(text('formula'), /1 формула \(Office Math\) отброшена.*в 4\.1\.2/);
      assert.match(text('footnote'), /1 сноска отброшена.*в 1\)/);
      assert.match(text('comment'), /1 примечание рецензента.*в 1\)/);
      assert.match(text('frontMatter'), /2 абзаца.*титульного листа.*до первого раздела/);
      assert.match($('[data-test=draft-notices]').text(), /Абзац после таблицы/);
      assert.equal(await DocumentModel.countDocuments(), documents, 'no document before the confirmation');
    });

    it('creates the draft on confirmation with every clause, which passes the clause rules, and opens its check', async () => {
      const sent = await upload(secretariat, draft('typed.docx'));
      const $ = await preview(sent.headers.location!);
      const done = await confirm(sent.headers.location!, $);
      const docId = /^\/documents\/([0-9a-f]{24})\/check$/.exec(done.headers.location!)![1]!;
      const clauses = await clausesOf(docId);
      assert.deepEqual(validateClauses(clauses), []);
      assert.equal(clauses.length, 23);
      const labels = numberClauses(clauses);
      const byNumber = (n: string) => clauses.find((c) => labels.get(c.key)?.number === n && c.kind !== 'table' && c.kind !== 'note')!;
      assert.deepEqual(byNumber('3.1').term, { ru: 'изделие', en: 'product', definition: 'Предмет или набор предметов производства.' });
      assert.deepEqual(clauses.filter((c) => c.kind === 'reference').map((c) => c.reference), [
        { designation: 'ГОСТ 2.601–2019', title: 'Единая система конструкторской документации. Эксплуатационные документы' },
        { designation: 'ГОСТ 15150–69', title: 'Машины, приборы и другие технические изделия. Исполнения для различных климатических районов' },
      ]);
      const table = clauses.find((c) => c.kind === 'table')!.table!;
      assert.deepEqual(table, { caption: 'Основные параметры', header: ['Параметр', 'Единица', 'Значение'], rows: [['Напряжение питания', 'В', '5 ± 0,25'], ['Ток потребления', 'мА', 'не более 10']] });
      assert.equal(byNumber('4.1.2').heading, 'Требования к материалам');
      assert.match(byNumber('4.1.2').body!, /^Материалы должны обеспечивать работу изделий в течение срока службы:\n\n– при температуре от минус 60 °C до плюс 85 °C;\n– при влажности до 98 %\./);
      assert.equal(byNumber('4.1.1').body, 'Изделия должны соответствовать требованиям настоящего стандарта.');
      assert.deepEqual(clauses.filter((c) => c.kind === 'note').map((c) => c.body), ['При пользовании настоящим стандартом целесообразно проверить действие ссылочных стандартов.', 'Значения приведены для температуры 25 °C.', 'Допуск ±0,5 мм.']);
      assert.equal(clauses.find((c) => c.kind === 'example')!.body, 'Изделие типа «А» с напряжением питания 5 В.');
      const annex = clauses.find((c) => c.annex)!;
      assert.deepEqual([annex.annex, annex.heading], ['normative', 'Перечень проверок']);
      assert.deepEqual(clauses.filter((c) => c.kind === 'bibliography').map((c) => c.body), ['ISO 9001:2015 Quality management systems — Requirements', 'ГОСТ Р 1.5–2012 Стандартизация в Российской Федерации']);
      assert.equal(clauses.find((c) => c.unnumbered)!.heading, 'Библиография');
      const doc = await DocumentModel.findById(docId).lean<{ state: string; titles: { ru: string }; history: { action: string; note?: string }[] }>();
      assert.equal(doc!.state, 'draft');
      assert.equal(doc!.history[0]!.note, 'проект.docx');
      // The check of a draft made in Accord lists what is left to do.
      const check = cheerio.load((await secretariat.agent.get(done.headers.location!).expect(200)).text);
      assert.equal(check('[data-test=quality-check]').length, 1);
      assert.equal(check('[data-test=check-errors]').length, 0);
      // Confirming again makes no second draft: the same document answers.
      const again = await secretariat.agent.post(sent.headers.location!).type('form').send(details(secretariat.csrf)).expect(303);
      assert.equal(again.headers.location, done.headers.location);
      assert.equal(await DocumentModel.countDocuments({ _id: docId }), 1);
      assert.equal(await Revision.countDocuments({ document: docId }), 1);
    });

    it('keeps the typed details and stores nothing when they are wrong', async () => {
      const sent = await upload(secretariat, draft('typed.docx'));
      const $ = await preview(sent.headers.location!);
      const documents = await DocumentModel.countDocuments();
      const res = await confirm(sent.headers.location!, $, 422, { titleRu: '', ics: 'abc' });
      const page = cheerio.load(res.text);
      assert.equal(page('[name=developer]').val(), 'БелГИСС');
      assert.ok(page('.has-error').length >= 1);
      assert.equal(await DocumentModel.countDocuments(), documents);
    });
  });

  describe("numbers kept in Word's list definitions", () => {
    it('numbers headings through their styles and paragraphs through their own list, and keeps an enumeration in the text', async () => {
      const sent = await upload(secretariat, draft('list-numbered.docx'));
      const $ = await preview(sent.headers.location!);
      const rows = rowsOf($);
      assert.deepEqual(rows.map((r) => [r.number, r.written, r.kind, r.depth]), [
        ['1', '1', 'section', 0], ['2', '2', 'section', 0], ['', '', 'reference', 1],
        ['3', '3', 'section', 0], ['3.1', '3.1', 'term', 1],
        ['4', '4', 'section', 0], ['4.1', '4.1', 'section', 1], ['4.1.1', '4.1.1', 'text', 2], ['4.1.2', '4.1.2', 'text', 2],
        ['4.2', '4.2', 'section', 1], ['Таблица 1', '', 'table', 2], ['Примечание', '', 'note', 2], ['Таблица 2', '', 'table', 2],
        ['5', '5', 'section', 0], ['5.1', '5.1', 'text', 1],
        ['Приложение А', 'Б', 'section', 0], ['А.1', 'Б.1', 'text', 1],
      ]);
      assert.equal(rows[0]!.text, 'Область применения');
      // The file letters its only annex Б; Accord letters annexes by their place, and says so.
      assert.equal($('[data-test=number-differs]').length, 2);
      assert.match($('[data-test=draft-notices]').text(), /Номер Б из файла станет А/);
      assert.match($('[data-test=draft-clause]').eq(15).text(), /Пример маркировки/);
      assert.match($('[data-test=draft-clause]').eq(15).text(), /\(справочное\)/);
      const done = await confirm(sent.headers.location!, $);
      const clauses = await clausesOf(/\/documents\/([0-9a-f]{24})\//.exec(done.headers.location!)![1]!);
      assert.deepEqual(validateClauses(clauses), []);
      assert.equal(clauses[8]!.body, 'Изделия должны выдерживать:\n\n1) воздействие вибрации;\n2) воздействие удара.');
      assert.deepEqual(clauses[4]!.term, { ru: 'изделие', en: 'product', definition: 'Предмет или набор предметов производства.' });
      assert.equal(clauses[15]!.annex, 'informative');
      // A cell spanning two rows, and one spanning two columns: every row keeps one cell per column.
      assert.deepEqual(clauses[12]!.table, { caption: 'Места маркировки', header: ['Изделие', 'Место', 'Способ'], rows: [['Микросхема', 'Корпус', 'Краска'], ['', 'Упаковка', 'Этикетка'], ['Плата', 'Общий', '']] });
    });
  });

  describe('refusals', () => {
    afterEach(async () => {
      assert.equal(await DraftImport.countDocuments({ fileName: 'плохой.docx' }), 0, 'no upload is kept');
    });
    const refusals: [string, Buffer, number, RegExp][] = [
      ['tracked changes', draft('tracked.docx'), 422, /Примите или отклоните отслеживаемые исправления/],
      ['a file with no recognisable structure', draft('no-structure.docx'), 422, /не найдено ни одного раздела/],
      ['a PDF named .docx', commentFixture('not-a-zip.docx'), 415, /Это не файл DOCX/],
      ['a zip that is no Office package', commentFixture('zip-not-office.xlsx'), 415, /Это не файл DOCX/],
      ['a workbook', commentFixture('osd-export.xlsx'), 415, /Это не файл DOCX/],
      ['a zip bomb that declares 100 MB', commentFixture('bomb.docx'), 413, /80 МБ/],
      ['a zip bomb that declares 1 KB and inflates to 100 MB', commentFixture('bomb-lying.docx'), 413, /80 МБ/],
    ];
    for (const [what, file, status, message] of refusals) {
      it(`refuses ${what} (${status}) with a message on the page`, async () => {
        const documents = await DocumentModel.countDocuments();
        const res = await upload(secretariat, file, status, 'плохой.docx');
        assert.match(cheerio.load(res.text)('[role=alert]').text(), message);
        assert.equal(await DocumentModel.countDocuments(), documents);
      });
    }

    it('refuses a file over 20 MB, and no file at all', async () => {
      // Over HTTP the upload is cut at 20 MB by the reader the comment import shares (comment-import-files.test.ts).
      const big = Buffer.alloc(21 * 1024 * 1024);
      big.writeUInt32LE(0x04034b50, 0);
      const actor = actorOf(await makeUser('secretariat'));
      await assert.rejects(uploadDraft(actor, async () => ({ bytes: big, name: 'плохой.docx' }), new Date('2026-03-01T10:00:00Z')), (err: AppError) => {
        assert.equal(err.status, 413);
        assert.match(translate('ru', err.messageKey, err.params), /больше 20 МБ/);
        return true;
      });
      const none = await secretariat.agent.post('/documents/import').field('_csrf', secretariat.csrf).field('x', '1').expect(422);
      assert.match(cheerio.load(none.text)('[role=alert]').text(), /Выберите файл/);
    });

    it('says in English that tracked changes are to be accepted or rejected first', async () => {
      const en = await signIn(app, await makeUser('secretariat'));
      await en.agent.get('/locale/en').expect(303);
      const res = await upload(en, draft('tracked.docx'), 422, 'плохой.docx');
      assert.match(cheerio.load(res.text)('[role=alert]').text(), /Accept or reject the tracked changes first/);
    });
  });

  describe('through the JSON API', () => {
    it('uploads the file as the body, gives the preview as JSON, and confirms it with the details', async () => {
      const user = await makeUser('secretariat');
      const bearer = `Bearer ${await tokenFor(user)}`;
      const sent = await request(app).post('/api/draft-imports').set('Authorization', bearer).type('application/octet-stream').send(draft('list-numbered.docx')).expect(201);
      assert.match(String(sent.headers.location), /^\/api\/draft-imports\/[0-9a-f]{24}$/);
      const p = sent.body as { rows: { number: string; kind: string; depth: number }[]; dropped: { kind: string }[]; canConfirm: boolean };
      assert.deepEqual(p.rows.slice(0, 5).map((r) => [r.number, r.kind, r.depth]), [['1', 'section', 0], ['2', 'section', 0], ['', 'reference', 1], ['3', 'section', 0], ['3.1', 'term', 1]]);
      assert.equal(p.canConfirm, true);
      const again = await request(app).get(String(sent.headers.location)).set('Authorization', bearer).expect(200);
      assert.deepEqual(again.body.rows, p.rows);
      const { _csrf: _c, ...body } = details('');
      void _c;
      const done = await request(app).post(`${sent.headers.location}/confirm`).set('Authorization', bearer).send(body).expect(201);
      assert.match(String(done.headers.location), new RegExp(`^/api/documents/${done.body.document}$`));
      assert.equal((await clausesOf(done.body.document)).length, p.rows.length);
      const tracked = await request(app).post('/api/draft-imports').set('Authorization', bearer).type('application/octet-stream').send(draft('tracked.docx')).expect(422);
      assert.match(tracked.body.error.message, /Примите или отклоните отслеживаемые исправления/);
      const head = await makeUser('head', { delegation: 'BY' });
      await request(app).post('/api/draft-imports').set('Authorization', `Bearer ${await tokenFor(head)}`).type('application/octet-stream').send(draft('typed.docx')).expect(403);
      await request(app).get(String(sent.headers.location)).set('Authorization', `Bearer ${await tokenFor(await makeUser('secretariat'))}`).expect(404);
    });
  });

  describe('who may', () => {
    it('lets only the secretariat import, and each member of it see only their own uploads', async () => {
      const head = await signIn(app, await makeUser('head', { delegation: 'BY' }));
      await head.agent.get('/documents/import').expect(403);
      await head.agent.post('/documents/import').field('_csrf', head.csrf).attach('file', draft('typed.docx'), 'проект.docx').expect(403);
      const sent = await upload(secretariat, draft('typed.docx'));
      const other = await signIn(app, await makeUser('secretariat'));
      await other.agent.get(sent.headers.location!).expect(404);
      await other.agent.post(sent.headers.location!).type('form').send(details(other.csrf)).expect(404);
      await head.agent.get(sent.headers.location!).expect(403);
    });

    it('links the import from the register and from the new-draft page', async () => {
      const list = cheerio.load((await secretariat.agent.get('/documents').expect(200)).text);
      assert.equal(list('[data-test=import-draft]').attr('href'), '/documents/import');
      const form = cheerio.load((await secretariat.agent.get('/documents/new').expect(200)).text);
      assert.equal(form('[data-test=import-draft]').attr('href'), '/documents/import');
    });
  });
});
