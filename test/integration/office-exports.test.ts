// The Word and Excel files read by programs that are not Accord (docs/word.md): LibreOffice converts every
// DOCX Accord writes to PDF, and the text of that PDF holds every clause number and heading in order;
// openpyxl reads the XLSX summary as a plain table.
import assert from 'node:assert/strict';
import type { Express } from 'express';
import * as cheerio from 'cheerio';
import request from 'supertest';
import { getDocument, getRevision } from '../../server/documents/index.js';
import { pdfClauses, type PdfClause } from '../../server/pdf/standard-view.js';
import { signIn, tokenFor } from '../helpers/agent.js';
import { testApp } from '../helpers/app.js';
import { binaryParser, releaseAs, roundOfComments, uniqueTitle, writeComment } from '../helpers/comments.js';
import { actorOf, makeDocument, makeUser } from '../helpers/factories.js';
import { docxText, openpyxlRead, zipEntry } from '../helpers/office.js';
import { makePublishedDocument } from '../helpers/publishing.js';
import { squash } from '../unit/pdf/tools.js';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const ISO = ['MB/NC', 'Line number', 'Clause/Subclause', 'Paragraph/Figure/Table/Note', 'Type of comment', 'Comments', 'Proposed change', 'Observations of the secretariat', 'Accord comment number'];

/** What the body prints of each clause that has a number or a heading: «4.2 Основные параметры», «4.2.1», «Таблица 1». */
function printedLabels(clauses: PdfClause[]): string[] {
  return clauses.flatMap((c) => {
    if (c.kind === 'note' || c.kind === 'example') return []; // their noun is letter-spaced
    if (c.kind === 'section') return [[c.label, c.annexStatus, c.heading].filter(Boolean).join(' ')];
    return c.label ? [c.label] : [];
  });
}

/** Asserts that each string occurs in the text after the one before it. */
function assertInOrder(text: string, wanted: string[], from = 0): void {
  let at = from;
  for (const w of wanted) {
    const i = text.indexOf(w, at);
    assert.ok(i >= 0, `«${w}» is not printed after position ${at}: …${text.slice(at, at + 200)}…`);
    at = i + w.length;
  }
}

/** The paragraphs' text of a table row in word/document.xml. */
const cellTexts = (row: string) => [...row.matchAll(/<w:tc>([\s\S]*?)<\/w:tc>/g)].map((m) => [...m[1]!.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join(''));

describe('Word and Excel files, as other programs read them', function () {
  this.timeout(180_000);
  let app: Express;

  before(() => {
    app = testApp();
  });

  it('gives a draft revision as DOCX that LibreOffice prints with every clause number and heading in order, the draft mark and the contents', async () => {
    const { id, by } = await makeDocument({ title: uniqueTitle('Микросхемы интегральные. Общие технические требования') });
    const { agent } = await signIn(app, by);
    const res = await agent.get(`/documents/${id}/revisions/1/docx`).buffer(true).parse(binaryParser).expect(200);
    assert.equal(res.headers['content-type'], DOCX);
    assert.match(res.headers['content-disposition']!, /filename\*=UTF-8''.*%2C%20%D1%80%D0%B5%D0%B4%D0%B0%D0%BA%D1%86%D0%B8%D1%8F%201\.docx$/);
    const bytes = res.body as Buffer;

    const xml = zipEntry(bytes, 'word/document.xml');
    assert.match(xml, /<w:instrText[^>]*>TOC \\h \\o &quot;1-2&quot;<\/w:instrText>/, 'a table-of-contents field over two heading levels');
    assert.match(zipEntry(bytes, 'word/settings.xml'), /<w:updateFields(?: w:val="(?:true|1)")?\/>/, 'Word is asked to update the fields on opening');
    assert.match(zipEntry(bytes, 'word/fontTable.xml'), /<w:font w:name="PT Serif"><w:altName w:val="Times New Roman"\/>/);
    assert.match(zipEntry(bytes, 'word/styles.xml'), /w:ascii="PT Serif"/);

    const text = squash(await docxText(bytes));
    assert.match(text, /ПРОЕКТ, первая редакция Стадия 20\.20/);
    assert.match(text, /ПРОЕКТ \/ DRAFT/, 'the draft mark in the running header');
    assert.match(text, /Страница 2 из \d+/);
    const contentsAt = text.indexOf('Содержание');
    assert.ok(contentsAt > 0, 'a contents page');
    const clauses = pdfClauses((await getRevision(await getDocument(actorOf(by), id), 1)).clauses).clauses;
    const headings = clauses.filter((c) => c.kind === 'section' && c.depth <= 1).map((c) => [c.label, c.annexStatus, c.heading].filter(Boolean).join(' '));
    assertInOrder(text, headings, contentsAt);
    const bodyAt = text.indexOf('Обновить все');
    assert.ok(bodyAt > contentsAt, 'the sentence that says Word fills the contents in');
    assertInOrder(text, printedLabels(clauses), bodyAt);
  });

  it('gives the DOCX of a draft only to whoever may see the draft, and links it from the document page', async () => {
    const { id, by } = await makeDocument({ title: uniqueTitle('Микросхемы. Проект для Word') });
    await request(app).get(`/documents/${id}/revisions/1/docx`).expect(404);
    const manufacturer = await signIn(app, await makeUser('manufacturer'));
    await manufacturer.agent.get(`/documents/${id}/revisions/1/docx`).expect(404);
    await (await signIn(app, by)).agent.get(`/documents/${id}/revisions/9/docx`).expect(404);
    const page = await (await signIn(app, by)).agent.get(`/documents/${id}`).expect(200);
    assert.equal(cheerio.load(page.text)('[data-test=docx]').attr('href'), `/documents/${id}/revisions/1/docx`);
    // Through the JSON API: the revision names its copies, which download with the same token.
    const bearer = `Bearer ${await tokenFor(by)}`;
    const rev = (await request(app).get(`/api/documents/${id}/revisions/1`).set('Authorization', bearer).expect(200)).body;
    assert.deepEqual(rev.links, { pdf: `/documents/${id}/revisions/1/pdf`, docx: `/documents/${id}/revisions/1/docx` });
    const list = (await request(app).get(`/api/documents/${id}/revisions`).set('Authorization', bearer).expect(200)).body;
    assert.equal(list.revisions[0].links.docx, rev.links.docx);
    const word = await request(app).get(rev.links.docx).set('Authorization', bearer).buffer(true).parse(binaryParser).expect(200);
    assert.match(String(word.headers['content-type']), /wordprocessingml/);
    assert.equal((word.body as Buffer).subarray(0, 2).toString(), 'PK');
    await request(app).get(rev.links.docx).set('Authorization', `Bearer ${await tokenFor(await makeUser('manufacturer'))}`).expect(404);
  });

  it('gives anyone the DOCX of a published standard, rendered from its frozen revision, with its designation and no draft mark', async () => {
    const { id, doc } = await makePublishedDocument({ title: uniqueTitle('Станки. Общие технические требования') });
    const designation = doc.publication!.designation;
    const res = await request(app).get(`/catalogue/${id}/docx`).buffer(true).parse(binaryParser).expect(200);
    assert.equal(res.headers['content-type'], DOCX);
    assert.match(res.headers['content-disposition']!, /\.docx"?$/);
    const text = squash(await docxText(res.body as Buffer));
    assert.ok(text.includes(designation), 'the designation on the cover and in the running header');
    assert.doesNotMatch(text, /ПРОЕКТ/);
    assert.match(text, /Издание официальное/);
    const again = await request(app).get(`/catalogue/${id}/docx`).buffer(true).parse(binaryParser).expect(200);
    assert.ok((again.body as Buffer).equals(res.body as Buffer), 'the copy is kept: the same bytes again');
    const sec = await signIn(app, await makeUser('secretariat'));
    const published = (await getDocument(undefined, id)).publication!.revision;
    await sec.agent.get(`/documents/${id}/revisions/${published}/docx`).expect(302).expect('Location', `/catalogue/${id}/docx`);
    const page = await request(app).get(`/catalogue/${id}`).expect(200);
    assert.equal(cheerio.load(page.text)('[data-test=downloads] [data-test=docx]').attr('href'), `/catalogue/${id}/docx`);
    await request(app).get('/catalogue/000000000000000000000000/docx').expect(404);
  });

  describe('the summary of comments', () => {
    async function round() {
      const r = await roundOfComments(uniqueTitle('Микросхемы для шаблона'));
      await writeComment(r.id, r.members.BY, { clauseKey: 'scope', type: 'ge', text: '=1+1', proposedChange: '@import', anchorKind: 'table', anchorRef: 'Таблица 1' });
      await writeComment(r.id, r.members.RU, { clauseKey: 'terms', type: 'ed', text: 'Первая строка\nвторая строка', proposedChange: '-10 °C' });
      await releaseAs(r.id, 'BY');
      await releaseAs(r.id, 'RU');
      return r;
    }

    it('is the ISO/IEC comment template in Word, its header row the template\'s headings, that LibreOffice opens', async () => {
      const r = await round();
      const { agent } = await signIn(app, r.secretariat);
      const res = await agent.get(`/documents/${r.id}/comments/export.docx`).buffer(true).parse(binaryParser).expect(200);
      assert.equal(res.headers['content-type'], DOCX);
      const xml = zipEntry(res.body as Buffer, 'word/document.xml');
      const rows = [...xml.matchAll(/<w:tr>([\s\S]*?)<\/w:tr>/g)].map((m) => cellTexts(m[1]!));
      const header = rows.findIndex((cells) => cells[0] === 'MB/NC');
      assert.deepEqual(rows[header], ISO);
      assert.deepEqual(rows[header + 1], ['BY', '', '1', 'Таблица 1', 'ge', '=1+1', '@import', '', 'BY-001']);
      assert.deepEqual(rows[header + 2]!.slice(0, 6), ['RU', '', '3', '', 'ed', 'Первая строкавторая строка']);
      const text = squash(await docxText(res.body as Buffer));
      // (LibreOffice wraps the narrow headings inside their cells, so the printed text is checked by its values.)
      assertInOrder(text, ['Date:', 'Document:', 'Project:', 'Comments', 'BY', 'Таблица 1', 'ge', '=1+1', '@import', 'BY-001', 'RU', 'ed', 'Первая строка', '-10 °C', 'Type of comment: ge = general']);
      assert.ok(text.includes('вторая строка'), 'the second line of a comment');
      const page = await agent.get(`/documents/${r.id}/comments`).expect(200);
      assert.match(cheerio.load(page.text)('[data-test=export-docx]').attr('href')!, new RegExp(`^/documents/${r.id}/comments/export\\.docx`));
    });

    it('is an XLSX that openpyxl reads as a table: header in row 1, text as typed, the comment number in a column of its own', async () => {
      const r = await round();
      const { agent } = await signIn(app, r.secretariat);
      const res = await agent.get(`/documents/${r.id}/comments/export.xlsx`).buffer(true).parse(binaryParser).expect(200);
      const { sheets } = openpyxlRead(res.body as Buffer);
      const [comments, about] = sheets;
      assert.deepEqual(comments!.rows[0], ISO);
      assert.deepEqual(comments!.rows[1], ['BY', null, '1', 'Таблица 1', 'ge', '=1+1', '@import', null, 'BY-001']);
      assert.equal(comments!.types[1]![5], 's', '=1+1 is a text cell, not a formula');
      assert.deepEqual(comments!.rows[2]!.slice(5, 7), ['Первая строка\nвторая строка', '-10 °C']);
      assert.match(comments!.header, /Микросхемы для шаблона/);
      assert.match(String(about!.rows[0]![0]), /Микросхемы для шаблона/);
    });
  });
});
