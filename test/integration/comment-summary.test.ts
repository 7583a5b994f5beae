import assert from 'node:assert/strict';
import type { Express } from 'express';
import * as cheerio from 'cheerio';
import ExcelJS from 'exceljs';
import { Comment } from '../../server/comments/model.js';
import { setDisposition, setDispositions } from '../../server/comments/dispositions.js';
import { editClauses, getDocument, getRevision, startNewRevision } from '../../server/documents/index.js';
import { transition } from '../helpers/app.js';
import { signIn } from '../helpers/agent.js';
import { testApp } from '../helpers/app.js';
import { testEnv } from '../helpers/env.js';
import { actorOf } from '../helpers/factories.js';
import { binaryParser, parseCsv, releaseAs, roundOfComments, storedComment, uniqueTitle, writeComment } from '../helpers/comments.js';

/** Labels of the template's clauses in revision 1 (GOST 1.5 numbering of general-technical-requirements). */
const label: Record<string, string> = { scope: '1', 'normative-references': '2', terms: '3', safety: '5' };

describe('comments', () => {
  let app: Express;
  before(() => {
    app = testApp();
  });

  const summaryRows = (html: string) =>
    cheerio
      .load(html)('[data-test=summary-table] tbody tr')
      .toArray()
      .map((tr) => cheerio.load(tr)('td').toArray().map((td) => cheerio.load(td).text().trim()));

  describe('exports', () => {
    it('writes the summary as CSV and XLSX with the ISO columns, cell by cell, with formulas made harmless', async function () {
      this.timeout(60_000);
      const title = uniqueTitle('Микросхемы для экспорта');
      const round = await roundOfComments(title);
      const { id } = round;
      const c1 = await writeComment(id, round.members.BY, { clauseKey: 'scope', type: 'ge', text: '=SUM(A1:A2)', proposedChange: '+7 (495) 000-00-00', anchorKind: 'paragraph', anchorRef: '2' });
      const c2 = await writeComment(id, round.members.BY, { clauseKey: 'safety', type: 'te', text: '-10 °C — уточнить', proposedChange: '@import' });
      const c3 = await writeComment(id, round.members.RU, { clauseKey: 'normative-references', type: 'ed', text: 'Текст с "кавычками", запятой; и\r\nпереводом строки' });
      const c4 = await writeComment(id, round.members.RU, { clauseKey: 'terms', type: 'te', text: 'Обычный текст', proposedChange: 'Заменить «термин»', anchorKind: 'table', anchorRef: '1' });
      await releaseAs(id, 'BY');
      await releaseAs(id, 'RU');
      const sec = actorOf(round.secretariat);
      await setDisposition(sec, String(c1._id), { decision: 'accepted', observation: 'Учтено', appliedInRevision: 1 }, new Date());
      await setDisposition(sec, String(c2._id), { decision: 'rejected', reason: 'Противоречит ГОСТ 15150' }, new Date());
      await setDisposition(sec, String(c3._id), { decision: 'noted' }, new Date());

      const stored = await Promise.all([c1, c3, c4, c2].map((c) => storedComment(c._id)));
      assert.deepEqual(stored.map((c) => c.number), ['BY-001', 'RU-001', 'RU-002', 'BY-002']);
      // The CSV guards against formulas with a leading apostrophe; the XLSX keeps the text as typed, in text cells.
      const expected = [
        ['BY', '', label.scope!, 'абзац 2', 'ge', "'=SUM(A1:A2)", "'+7 (495) 000-00-00", 'Принято (accepted). Учтено. Редакция 1', 'BY-001'],
        ['RU', '', label['normative-references']!, '', 'ed', stored[1]!.text, '', 'Принято к сведению (noted)', 'RU-001'],
        ['RU', '', label.terms!, 'таблица 1', 'te', 'Обычный текст', 'Заменить «термин»', '', 'RU-002'],
        ['BY', '', label.safety!, '', 'te', "'-10 °C — уточнить", "'@import", 'Отклонено (rejected). Противоречит ГОСТ 15150', 'BY-002'],
      ];
      const asTyped = expected.map((row) => row.map((cell) => cell.replace(/^'/, '')));
      const iso = ['MB/NC', 'Line number', 'Clause/Subclause', 'Paragraph/Figure/Table/Note', 'Type of comment', 'Comments', 'Proposed change', 'Observations of the secretariat', 'Accord comment number'];

      const s = await signIn(app, round.members.RU);
      const csv = await s.agent.get(`/documents/${id}/comments/export.csv`).buffer(true).parse(binaryParser).expect(200);
      assert.match(String(csv.headers['content-type']), /^text\/csv; charset=utf-8/);
      assert.match(String(csv.headers['content-disposition']), /^attachment; filename="?comments-[0-9a-f]{24}-round-1\.csv"?$/);
      const bytes = csv.body as Buffer;
      assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'starts with the UTF-8 byte-order mark');
      const text = bytes.subarray(3).toString('utf8');
      assert.ok(text.endsWith('\r\n'));
      assert.ok(!/[^\r]\n/.test(text.replace(/"[^"]*"/g, '')), 'every line outside quotes ends in CRLF');
      const rows = parseCsv(text);
      assert.equal(rows.length, 5);
      rows[0]!.forEach((h, i) => assert.ok(h.endsWith(iso[i]!), `CSV column ${i + 1} is «${h}», not ${iso[i]}`));
      assert.deepEqual(rows.slice(1), expected);

      const xlsx = await s.agent.get(`/documents/${id}/comments/export.xlsx`).buffer(true).parse(binaryParser).expect(200);
      assert.equal(xlsx.headers['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(xlsx.body as ArrayBuffer);
      const ws = wb.worksheets[0]!;
      iso.forEach((h, i) => assert.equal(ws.getCell(1, i + 1).value, h, 'the header is row 1'));
      assert.equal(wb.worksheets[1]!.getCell(1, 1).value, title, 'the title is on the second sheet');
      assert.equal(ws.rowCount, 1 + expected.length);
      const plain = (v: ExcelJS.CellValue) => (v && typeof v === 'object' && 'richText' in v ? v.richText.map((r) => r.text).join('') : v);
      asTyped.forEach((row, r) =>
        row.forEach((want, c) => {
          const v = plain(ws.getCell(2 + r, c + 1).value);
          // XML reads a line break as LF (a spreadsheet cell's own line break); the form sent CRLF.
          assert.equal(v === null || v === undefined ? '' : v, want.replace(/\r\n/g, '\n'), `XLSX row ${2 + r} column ${iso[c]}`);
        }),
      );
      for (let r = 2; r <= ws.rowCount; r++) ws.getRow(r).eachCell((cell) => assert.equal(cell.formula, undefined, `a formula in ${cell.address}`));

      // A filter gives the same subset in both.
      const onlyBy = parseCsv((await s.agent.get(`/documents/${id}/comments/export.csv?delegation=BY`).buffer(true).parse(binaryParser).expect(200)).body.toString('utf8').slice(1));
      assert.deepEqual(onlyBy.slice(1), [expected[0], expected[3]]);
    });
  });

  describe('a big round', () => {
    it('shows the summary a hundred rows at a time with the count, keeps the filter across pages, and exports every row in clause order', async function () {
      this.timeout(120_000);
      const round = await roundOfComments(uniqueTitle('Микросхемы, большой раунд'));
      const clauses = ['scope', 'normative-references', 'terms', 'safety'];
      for (let i = 0; i < 230; i++) await writeComment(round.id, round.members.BY, { clauseKey: clauses[i % 4]!, type: i % 2 ? 'te' : 'ed', text: `Замечание ${i}` });
      await releaseAs(round.id, 'BY');
      const { agent } = await signIn(app, round.secretariat);
      const first = await agent.get(`/documents/${round.id}/comments`).expect(200);
      assert.equal(summaryRows(first.text).length, 100);
      const $ = cheerio.load(first.text);
      assert.equal($('[data-test=summary-count]').text().trim(), 'Замечания 1–100 из 230');
      assert.equal($('[data-test=summary-pager] a[rel=prev]').length, 0);
      const firstNumbers = summaryRows(first.text).map((r) => r[2]);
      // Clause order: the 58 comments on clause 1 come first, then clause 2's.
      assert.deepEqual(firstNumbers, [...Array(58).fill(label.scope), ...Array(42).fill(label['normative-references'])]);

      const third = await agent.get(`/documents/${round.id}/comments?page=3`).expect(200);
      assert.equal(summaryRows(third.text).length, 30);
      assert.equal(cheerio.load(third.text)('[data-test=summary-count]').text().trim(), 'Замечания 201–230 из 230');
      assert.equal(cheerio.load(third.text)('[data-test=summary-pager] a[rel=next]').length, 0);

      // A filter stays on when paging: 115 technical comments, two pages.
      const te = await agent.get(`/documents/${round.id}/comments?type=te`).expect(200);
      const next = cheerio.load(te.text)('[data-test=summary-pager] a[rel=next]').attr('href')!;
      assert.match(next, /type=te/);
      assert.match(next, /page=2/);
      const second = await agent.get(next).expect(200);
      assert.equal(summaryRows(second.text).length, 15);
      assert.ok(summaryRows(second.text).every((r) => r[4] === 'te'));
      // Past the last page is the last page; a page that is not a number is refused.
      assert.equal(summaryRows((await agent.get(`/documents/${round.id}/comments?page=99`).expect(200)).text).length, 30);
      await agent.get(`/documents/${round.id}/comments?page=two`).expect(422);

      // The exports take every comment, not a page, in the order of the summary.
      const csv = await agent.get(`/documents/${round.id}/comments/export.csv?page=2`).buffer(true).parse(binaryParser).expect(200);
      const lines = parseCsv(csv.body.toString('utf8').replace(/^\uFEFF/, ''));
      const data = lines.slice(1).filter((r) => r.length > 1);
      assert.equal(data.length, 230);
      const order = data.map((r) => r[2]);
      assert.deepEqual(order, [...order].sort((a, b) => Number(a) - Number(b)));
      const xlsx = await agent.get(`/documents/${round.id}/comments/export.xlsx`).buffer(true).parse(binaryParser).expect(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(xlsx.body);
      const ws = wb.worksheets[0]!;
      assert.equal(ws.rowCount, 231, 'a header row and a row per comment');
      assert.equal(ws.getCell(2, 3).text, label.scope);
    });
  });

  describe('kept in step', () => {
    // The summary's order is kept in memory per filter until the document's released comments change
    // (server/comments/summary-order.ts): every change must show at the next request, on the page, in its
    // count, under its filter and in the exports.
    it('shows each release, disposition and bulk disposition at the next request, on every filter and in the exports', async function () {
      this.timeout(60_000);
      const round = await roundOfComments(uniqueTitle('Микросхемы, сводка в памяти'));
      const by = [];
      for (let i = 0; i < 3; i++) by.push(await writeComment(round.id, round.members.BY, { clauseKey: 'scope', type: 'ed', text: `Замечание BY ${i}` }));
      const ru = [];
      for (let i = 0; i < 2; i++) ru.push(await writeComment(round.id, round.members.RU, { clauseKey: 'terms', type: 'te', text: `Замечание RU ${i}` }));
      await releaseAs(round.id, 'BY');
      const { agent } = await signIn(app, round.secretariat);
      const count = async (query = '') => cheerio.load((await agent.get(`/documents/${round.id}/comments${query}`).expect(200)).text)('[data-test=summary-count]').text().trim();
      const csvRows = async (query = '') => parseCsv((await agent.get(`/documents/${round.id}/comments/export.csv${query}`).buffer(true).parse(binaryParser).expect(200)).body.toString('utf8').replace(/^\uFEFF/, '')).slice(1).filter((r) => r.length > 1).length;
      assert.equal(await count(), 'Замечания 1–3 из 3');
      assert.equal(await count('?disposition=none'), 'Замечания 1–3 из 3');
      assert.equal(await count('?delegation=RU'), '', 'none of RU yet');
      assert.equal(await csvRows(), 3);

      await releaseAs(round.id, 'RU');
      assert.equal(await count(), 'Замечания 1–5 из 5', 'a release shows at once');
      assert.equal(await count('?delegation=RU'), 'Замечания 1–2 из 2');
      assert.equal(await count('?disposition=none'), 'Замечания 1–5 из 5');
      assert.equal(await csvRows(), 5);

      const sec = actorOf(round.secretariat);
      await setDisposition(sec, String(ru[0]!._id), { decision: 'accepted' }, new Date());
      assert.equal(await count('?disposition=none'), 'Замечания 1–4 из 4', 'a disposition shows at once');
      assert.equal(await count('?disposition=accepted'), 'Замечания 1–1 из 1');
      assert.equal(await csvRows('?disposition=none'), 4);

      const doc = await getDocument(sec, round.id);
      await setDispositions(sec, doc, by.slice(0, 2).map((c) => ({ id: String(c._id) })), { decision: 'noted' }, new Date());
      assert.equal(await count('?disposition=none'), 'Замечания 1–2 из 2', 'a bulk disposition shows at once');
      assert.equal(await count('?disposition=noted'), 'Замечания 1–2 из 2');
      assert.equal(await csvRows('?disposition=none'), 2);
      assert.equal(await count(), 'Замечания 1–5 из 5');
    });
  });

  describe('statistics', () => {
    it('draws an SVG chart readable without JavaScript and counts by delegation, type and disposition', async () => {
      const round = await roundOfComments();
      const { id } = round;
      const by = await Promise.all([
        writeComment(id, round.members.BY, { clauseKey: 'scope', type: 'te' }),
        writeComment(id, round.members.BY, { clauseKey: 'terms', type: 'te' }),
        writeComment(id, round.members.BY, { clauseKey: 'safety', type: 'te' }),
        writeComment(id, round.members.BY, { clauseKey: 'acceptance', type: 'ed' }),
      ]);
      const ru = await Promise.all([writeComment(id, round.members.RU, { clauseKey: 'scope', type: 'ge' }), writeComment(id, round.members.RU, { clauseKey: 'terms', type: 'ge' })]);
      // An unreleased comment of a third kind is not counted.
      await releaseAs(id, 'BY');
      await releaseAs(id, 'RU');
      const sec = actorOf(round.secretariat);
      await setDisposition(sec, String(by[0]._id), { decision: 'accepted' }, new Date());
      await setDisposition(sec, String(by[1]._id), { decision: 'rejected', reason: 'Нет оснований' }, new Date());
      await setDisposition(sec, String(by[3]._id), { decision: 'noted' }, new Date());
      await setDisposition(sec, String(ru[0]._id), { decision: 'partially', reason: 'Частично' }, new Date());

      const s = await signIn(app, round.secretariat);
      const page = await s.agent.get(`/documents/${id}/comments/statistics`).expect(200);
      const $ = cheerio.load(page.text);
      const svg = $('[data-test=chart] > svg');
      assert.equal(svg.length, 1, 'the chart is inline SVG');
      assert.equal(svg.attr('role'), 'img');
      assert.ok(svg.find('title').first().text().length > 0);
      assert.equal($('[data-test=chart] script').length, 0);
      const bars = svg.find('rect > title').toArray().map((t) => $(t).text());
      assert.ok(bars.includes('BY te: Принято — 1'), bars.join(' | '));
      assert.ok(bars.includes('BY te: Отклонено — 1'));
      assert.ok(bars.includes('BY te: Без заключения — 1'));
      assert.ok(bars.includes('RU ge: Принято частично — 1'));
      assert.match(svg.text(), /BY · te/);

      const head = $('[data-test=stats] thead th').toArray().map((th) => $(th).text().trim());
      assert.deepEqual(head, ['Делегация', 'Вид', 'Принято', 'Принято частично', 'Отклонено', 'Принято к сведению', 'Вынесено на обсуждение', 'Без заключения', 'Всего']);
      const rows = $('[data-test=stats] tbody tr').toArray().map((tr) => $(tr).find('td').toArray().map((td) => $(td).text().trim()));
      assert.deepEqual(rows, [
        ['BY', 'ge', '0', '0', '0', '0', '0', '0', '0'],
        ['BY', 'te', '1', '0', '1', '0', '0', '1', '3'],
        ['BY', 'ed', '0', '0', '0', '1', '0', '0', '1'],
        ['RU', 'ge', '0', '1', '0', '0', '0', '1', '2'],
        ['RU', 'te', '0', '0', '0', '0', '0', '0', '0'],
        ['RU', 'ed', '0', '0', '0', '0', '0', '0', '0'],
      ]);
      // The same figures as stored.
      assert.equal(await Comment.countDocuments({ document: id, status: 'released' }), 6);
      assert.equal(await Comment.countDocuments({ document: id, 'disposition.decision': 'accepted' }), 1);
    });
  });

  describe('carrying comments forward', () => {
    it('shows where each commented clause is in the new revision, or that it was removed', async function () {
      this.timeout(60_000);
      const round = await roundOfComments();
      const { id } = round;
      const onRefs = await writeComment(id, round.members.BY, { clauseKey: 'normative-references', text: 'О ссылках' });
      const onTerms = await writeComment(id, round.members.BY, { clauseKey: 'terms', text: 'О терминах' });
      const onSafety = await writeComment(id, round.members.RU, { clauseKey: 'safety', text: 'О безопасности' });
      await releaseAs(id, 'BY');
      await releaseAs(id, 'RU');
      const sec = actorOf(round.secretariat);
      await transition(sec, id, 'closeComments', { now: new Date() });
      await transition(sec, id, 'newRound', { now: new Date() });
      assert.equal(await startNewRevision(sec, id, new Date()), 2);
      const doc = await getDocument(sec, id);
      // Seen once before the new revision is edited: revision 1, frozen, is numbered once and kept; revision 2,
      // a draft, is read again at every request.
      const s = await signIn(app, round.members.RU);
      assert.deepEqual(summaryRows((await s.agent.get(`/documents/${id}/comments?round=1`).expect(200)).text).map((r) => r[2]), ['2 (сейчас 2)', '3 (сейчас 3)', '5 (сейчас 5)']);
      let version = (await getRevision(doc, 2)).version;
      version = (await editClauses(sec, testEnv().templates, id, version, { type: 'remove', key: 'terms' }, new Date())).version;
      await editClauses(sec, testEnv().templates, id, version, { type: 'insert', afterKey: 'scope', clause: { depth: 0, kind: 'section', heading: 'Общие положения' } as never }, new Date());

      const rows = summaryRows((await s.agent.get(`/documents/${id}/comments?round=1`).expect(200)).text);
      assert.deepEqual(rows.map((r) => [r[1], r[2]]), [
        ['BY-001', '2 (сейчас 3)'],
        ['BY-002', '3 (пункт исключён в новой редакции)'],
        ['RU-001', '5 (сейчас 5)'],
      ]);
      const show = cheerio.load((await s.agent.get(`/documents/${id}/comments/${onTerms._id}`).expect(200)).text);
      assert.match(show('.comment-meta').text(), /Сейчас\s*пункт исключён в новой редакции/);
      const show2 = cheerio.load((await s.agent.get(`/documents/${id}/comments/${onRefs._id}`).expect(200)).text);
      assert.match(show2('.comment-meta').text(), /Сейчас\s*сейчас 3/);
      // The comments themselves are untouched: still on revision 1, same keys.
      const stored = await Promise.all([onRefs, onTerms, onSafety].map((c) => storedComment(c._id)));
      assert.deepEqual(stored.map((c) => [c.revision, c.clauseKey]), [[1, 'normative-references'], [1, 'terms'], [1, 'safety']]);
    });
  });
});
