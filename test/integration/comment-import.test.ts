// Importing a filled-in comment table into a delegation's internal comments, on files written by
// python-docx and openpyxl (test/fixtures/comment-import/make_fixtures.py): each layout, the preview, the
// confirmation (all or nothing), uploading the same file again, the unknown clause flag, who may do it.
import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import type { Express } from 'express';
import request from 'supertest';
import { Comment } from '../../server/comments/model.js';
import { signIn, tokenFor } from '../helpers/agent.js';
import { testApp } from '../helpers/app.js';
import { fixture } from '../helpers/comment-import.js';
import { binaryParser, commentsOf, releaseAs, roundOfComments, writeComment } from '../helpers/comments.js';
import { makeUser, type MadeUser } from '../helpers/factories.js';


interface PreviewRow { status: string; clause: { key: string; number: string; heading: string } | null; wholeDocument: boolean; unknownClause: boolean; type: string | null; text: string; anchor: { kind: string; ref: string } | null; problems: { code: string }[] }

describe('comment import', () => {
  let app: Express;
  before(() => {
    app = testApp();
  });

  const upload = async (who: MadeUser, docId: string, file: Buffer, status = 201) =>
    request(app).post(`/api/documents/${docId}/comment-imports`).set('Authorization', `Bearer ${await tokenFor(who)}`).type('application/octet-stream').send(file).expect(status);
  const confirm = async (who: MadeUser, docId: string, importId: string, status = 200) =>
    request(app).post(`/api/documents/${docId}/comment-imports/${importId}/confirm`).set('Authorization', `Bearer ${await tokenFor(who)}`).expect(status);
  const clauseKeys = (rows: PreviewRow[]) => rows.map((r) => r.clause?.key ?? (r.unknownClause ? '?' : '*'));

  describe('each layout', () => {
    it('reads the ISO/IEC template 2012-03 in Word (English headers): clauses by number, merged MB cells, text as typed', async () => {
      const round = await roundOfComments();
      const res = await upload(round.members.BY, round.id, fixture('iso-2012-03-en.docx'));
      assert.match(String(res.headers.location), new RegExp(`/api/documents/${round.id}/comment-imports/[0-9a-f]{24}$`));
      const p = res.body as { layout: string; kind: string; rows: PreviewRow[]; counts: Record<string, number>; canConfirm: boolean };
      assert.equal(p.kind, 'docx');
      assert.equal(p.layout, 'iso');
      assert.deepEqual(clauseKeys(p.rows), ['parameters-limits', 'parameters-table', 'annex-traceability-text', '*', '?', 'annex-traceability']);
      assert.deepEqual(p.rows.map((r) => r.type), ['te', 'ed', 'ge', 'ge', 'te', 'ed']);
      assert.deepEqual(p.rows[0]!.clause, { key: 'parameters-limits', number: '4.2.1', heading: p.rows[0]!.clause!.heading });
      assert.equal(p.rows[1]!.clause!.number, 'Таблица 1');
      assert.equal(p.rows[1]!.clause!.heading, 'Основные параметры');
      assert.equal(p.rows[0]!.text, 'Допуск «±0,5 °C» заменить на ±0,2 ℃;\nдиапазон 5…50 µм.\nБеларуская назва: «Інтэгральныя мікрасхемы», ўзровень.');
      // A Symbol-font sign, a line break; the tracked deletion left out.
      assert.equal(p.rows[1]!.text, 'Единица «мм» в заголовке графы. Допуск ±1 мм.\nВторая строка.');
      assert.deepEqual(p.rows[0]!.anchor, { kind: 'table', ref: '1' });
      assert.deepEqual(p.rows[2]!.anchor, { kind: 'paragraph', ref: '2' });
      assert.deepEqual(p.counts, { rows: 6, new: 6, imported: 0, repeat: 0, problem: 0, unknownClause: 1, warning: 0 });
      assert.equal(p.canConfirm, true);
      assert.equal((await commentsOf(round.id)).length, 0, 'nothing is stored before the confirmation');
    });

    it('reads the template in Excel with Russian headers under a title, a number typed as a clause, and «техническое» as te', async () => {
      const round = await roundOfComments();
      const p = (await upload(round.members.BY, round.id, fixture('iso-2012-03-ru.xlsx'))).body as { layout: string; rows: PreviewRow[] };
      assert.equal(p.layout, 'iso');
      assert.deepEqual(clauseKeys(p.rows), ['resistance-climatic', 'methods-instruments', 'annex-traceability-table', '*', 'requirements-general']);
      assert.deepEqual(p.rows.map((r) => r.type), ['te', 'ed', 'ge', 'ed', 'te']);
      assert.deepEqual(p.rows[1]!.anchor, { kind: 'figure', ref: '1' });
      assert.match(p.rows[0]!.text, /^Допуск «±0,5 °C».*\n.*µм\.\n.*ўзровень\.$/s);
    });

    it('reads a clause Excel kept as a number as its cell shows it, and says to check one whose zeros may be lost or that became a date', async () => {
      const round = await roundOfComments();
      const p = (await upload(round.members.BY, round.id, fixture('numbers.xlsx'))).body as { canConfirm: boolean; counts: { warning: number; problem: number }; rows: (PreviewRow & { clauseWritten: string; warnings: { code: string; message: string }[] })[] };
      assert.deepEqual(p.rows.map((r) => r.clauseWritten), ['4.1', '4.10', '4.2', '2026-05-04', '10', '4.2.1']);
      assert.deepEqual(p.rows.map((r) => r.clause?.number ?? null), ['4.1', null, '4.2', null, '10', '4.2.1']);
      // 4.10 in a cell formatted to show two decimals is 4.10 — no clause of this revision — and not clause 4.1.
      assert.equal(p.rows[1]!.unknownClause, true);
      assert.deepEqual(p.rows.map((r) => r.warnings.map((w) => w.code)), [['clauseNumber'], [], [], ['clauseDate'], [], []]);
      assert.match(p.rows[0]!.warnings[0]!.message, /«4\.1» записан в ячейке Excel как число: Excel мог убрать нули в конце \(4\.10 хранится как 4\.1\)/);
      assert.match(p.rows[3]!.warnings[0]!.message, /дату \(2026-05-04\)/);
      assert.deepEqual([p.counts.warning, p.counts.problem, p.canConfirm], [2, 0, true], 'a warning refuses nothing');
      // The page says it beside the row.
      const { agent, csrf } = await signIn(app, round.members.BY);
      const sent = await agent.post(`/documents/${round.id}/comment-imports`).field('_csrf', csrf).attach('file', fixture('numbers.xlsx'), 'замечания.xlsx').expect(303);
      const $ = cheerio.load((await agent.get(sent.headers.location!).expect(200)).text);
      assert.deepEqual($('[data-test=import-row]').toArray().map((tr) => $(tr).find('[data-test=warning]').attr('data-code') ?? ''), ['clauseNumber', '', '', 'clauseDate', '', '']);
      assert.match($('[data-test=import-counts]').text(), /В 2 строках проверьте пункт/);
    });

    it("reads Accord's own summary (XLSX, and DOCX with a «№» column) and ISO OSD's export", async () => {
      const round = await roundOfComments();
      const xlsx = (await upload(round.members.BY, round.id, fixture('accord-summary.xlsx'))).body as { layout: string; rows: PreviewRow[] };
      assert.equal(xlsx.layout, 'accord');
      assert.deepEqual(clauseKeys(xlsx.rows), ['parameters', 'annex-traceability']);
      assert.deepEqual(xlsx.rows[0]!.anchor, { kind: 'table', ref: '1' });
      const word = (await upload(round.members.BY, round.id, fixture('accord-summary.docx'))).body as { layout: string; rows: PreviewRow[] };
      assert.equal(word.layout, 'accord');
      assert.deepEqual(clauseKeys(word.rows), ['reliability', 'marking']);
      const osd = (await upload(round.members.BY, round.id, fixture('osd-export.xlsx'))).body as { layout: string; rows: PreviewRow[] };
      assert.equal(osd.layout, 'osd');
      assert.deepEqual(clauseKeys(osd.rows), ['safety', 'parameters-table', '*']);
      assert.deepEqual(osd.rows.map((r) => r.type), ['te', 'ed', 'ge']);
    });
  });

  describe('confirming', () => {
    it('stores every row as an internal comment of the delegation; the row that matched no clause is on the whole document, flagged for the head', async () => {
      const round = await roundOfComments();
      const p = (await upload(round.members.BY, round.id, fixture('iso-2012-03-en.docx'))).body as { id: string };
      assert.deepEqual((await confirm(round.members.BY, round.id, p.id)).body, { created: 6, skipped: 0 });
      const stored = await commentsOf(round.id);
      assert.equal(stored.length, 6);
      assert.ok(stored.every((c) => c.status === 'internal' && c.delegation === 'BY' && String(c.author) === round.members.BY.id));
      const unknown = stored.find((c) => c.text === 'Пункт, которого нет.')!;
      assert.equal(unknown.clauseKey, 'scope');
      assert.equal(unknown.unmatchedClause, '9.9');
      // The template's «Line number» column is kept with each comment, for the summary's «№ строки».
      assert.deepEqual(stored.map((c) => c.line).sort(), ['1', '2', '3', '4', '5', '6']);
      assert.equal(stored.find((c) => c.text.startsWith('Согласовать'))!.unmatchedClause, null, 'a general comment is no unknown clause');
      // The head sees the flag on the delegation's list.
      const head = await signIn(app, await makeUser('head', { delegation: 'BY' }));
      const page = cheerio.load((await head.agent.get(`/documents/${round.id}/comments`).expect(200)).text);
      assert.match(page(`#comment-${unknown._id} [data-test=unmatched-clause]`).text(), /9\.9/);
      assert.match(page(`#comment-${unknown._id} td`).first().text(), /^Документ в целом/);
      assert.equal(unknown.wholeDocument, true);
      const show = cheerio.load((await head.agent.get(`/documents/${round.id}/comments/${unknown._id}`).expect(200)).text);
      assert.match(show('[data-test=unmatched-clause]').text(), /9\.9/);
      // Confirming twice stores nothing more.
      await confirm(round.members.BY, round.id, p.id, 409);
    });

    it('does not store the same rows twice: a second upload of the file shows them as imported, and confirms none', async () => {
      const round = await roundOfComments();
      const first = (await upload(round.members.BY, round.id, fixture('osd-export.xlsx'))).body as { id: string };
      await confirm(round.members.BY, round.id, first.id);
      // Another member of the same delegation uploads the same file.
      const other = await makeUser('member', { delegation: 'BY' });
      const again = (await upload(other, round.id, fixture('osd-export.xlsx'))).body as { id: string; rows: PreviewRow[]; canConfirm: boolean };
      assert.deepEqual(again.rows.map((r) => r.status), ['imported', 'imported', 'imported']);
      assert.equal(again.canConfirm, false);
      assert.deepEqual((await confirm(other, round.id, again.id)).body, { created: 0, skipped: 3 });
      assert.equal((await commentsOf(round.id)).length, 3);
      // The other delegation's identical rows are its own comments, not duplicates of BY's (its MB is RU, so it is refused instead).
    });

    it('refuses a file with problems and stores none of its rows; the preview names each problem', async () => {
      const round = await roundOfComments();
      const p = (await upload(round.members.BY, round.id, fixture('problems.docx'))).body as { id: string; rows: PreviewRow[]; canConfirm: boolean };
      assert.deepEqual(p.rows.map((r) => r.problems.map((x) => x.code)), [[], ['otherDelegation'], ['emptyComment'], ['badType']]);
      assert.equal(p.canConfirm, false);
      const refused = await confirm(round.members.BY, round.id, p.id, 409);
      assert.match(refused.body.error.message, /3/);
      assert.equal((await commentsOf(round.id)).length, 0);
    });

    it('stores all rows or none: an insert failing half-way leaves nothing behind, and the next confirmation stores them all', async () => {
      const round = await roundOfComments();
      const p = (await upload(round.members.BY, round.id, fixture('iso-2012-03-en.docx'))).body as { id: string };
      const insertMany = Comment.insertMany.bind(Comment);
      (Comment as unknown as { insertMany: unknown }).insertMany = async (docs: unknown[]) => {
        await insertMany(docs.slice(0, 3) as never);
        throw new Error('the database went away');
      };
      try {
        await confirm(round.members.BY, round.id, p.id, 500);
      } finally {
        (Comment as unknown as { insertMany: unknown }).insertMany = insertMany;
      }
      assert.equal((await commentsOf(round.id)).length, 0);
      assert.deepEqual((await confirm(round.members.BY, round.id, p.id)).body, { created: 6, skipped: 0 });
    });

    it('follows the rules of a comment typed in: refused once the position is released', async () => {
      const round = await roundOfComments();
      const p = (await upload(round.members.BY, round.id, fixture('osd-export.xlsx'))).body as { id: string };
      await confirm(round.members.BY, round.id, p.id);
      await releaseAs(round.id, 'BY');
      const res = await upload(round.members.BY, round.id, fixture('accord-summary.xlsx'), 409);
      assert.match(res.body.error.message, /позиция|position/i);
    });
  });

  describe("Accord's own export", () => {
    it('reads back the XLSX and DOCX summaries of a round: the same comments, clause by clause, on a copy out for comments', async () => {
      const first = await roundOfComments();
      await writeComment(first.id, first.members.BY, { clauseKey: 'parameters-limits', type: 'te', text: 'Допуск «±0,5 °C»\nзаменить.', proposedChange: 'Указать ±0,2 ℃.', anchorKind: 'table', anchorRef: '1', line: '127–129' });
      await writeComment(first.id, first.members.BY, { clauseKey: 'annex-traceability', type: 'ed', text: 'Беларуская: «ўзровень».' });
      await writeComment(first.id, first.members.BY, { clauseKey: 'safety', type: 'ge', text: 'Требования безопасности.' });
      await releaseAs(first.id, 'BY');
      const secretary = await makeUser('secretariat');
      const exported = await request(app).get(`/documents/${first.id}/comments/export.xlsx`).set('Authorization', `Bearer ${await tokenFor(secretary)}`).buffer(true).parse(binaryParser).expect(200);
      const copy = await roundOfComments();
      const p = (await upload(copy.members.BY, copy.id, exported.body as Buffer)).body as { id: string; layout: string; rows: PreviewRow[] };
      assert.equal(p.layout, 'accord');
      assert.deepEqual(p.rows.map((r) => r.problems), [[], [], []]);
      await confirm(copy.members.BY, copy.id, p.id);
      const shape = (cs: Awaited<ReturnType<typeof commentsOf>>) => cs.map((c) => [c.clauseKey, c.type, c.text, c.proposedChange ?? null, c.anchor ? `${c.anchor.kind} ${c.anchor.ref}` : null, c.line ?? null]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
      assert.deepEqual(shape(await commentsOf(copy.id)), shape(await commentsOf(first.id)));
      assert.ok((await commentsOf(copy.id)).some((c) => c.line === '127–129'), 'the line number came back');
      // The same summary as the filled-in template in Word, on another copy.
      const word = await request(app).get(`/documents/${first.id}/comments/export.docx`).set('Authorization', `Bearer ${await tokenFor(secretary)}`).buffer(true).parse(binaryParser).expect(200);
      const other = await roundOfComments();
      const w = (await upload(other.members.BY, other.id, word.body as Buffer)).body as { id: string; kind: string; rows: PreviewRow[] };
      assert.equal(w.kind, 'docx');
      assert.deepEqual(w.rows.map((r) => r.problems), [[], [], []]);
      await confirm(other.members.BY, other.id, w.id);
      assert.deepEqual(shape(await commentsOf(other.id)), shape(await commentsOf(first.id)));
    });
  });

  describe('who may import', () => {
    it('refuses a manufacturer and the secretariat; an upload is its owner’s alone, another delegation does not find it', async () => {
      const round = await roundOfComments();
      for (const role of ['manufacturer', 'secretariat'] as const) await upload(await makeUser(role), round.id, fixture('osd-export.xlsx'), 403);
      const p = (await upload(round.members.BY, round.id, fixture('osd-export.xlsx'))).body as { id: string };
      const bearer = async (u: MadeUser) => `Bearer ${await tokenFor(u)}`;
      for (const stranger of [round.members.RU, await makeUser('head', { delegation: 'RU' }), await makeUser('head', { delegation: 'BY' })]) {
        await request(app).get(`/api/documents/${round.id}/comment-imports/${p.id}`).set('Authorization', await bearer(stranger)).expect(404);
        await confirm(stranger, round.id, p.id, 404);
      }
      // RU uploads a file of BY's rows: each is refused as another delegation's.
      const ru = (await upload(round.members.RU, round.id, fixture('osd-export.xlsx'))).body as { rows: PreviewRow[] };
      assert.ok(ru.rows.every((r) => r.problems.some((x) => x.code === 'otherDelegation')));
      assert.equal((await commentsOf(round.id)).length, 0);
    });
  });

  describe('from the page', () => {
    it('uploads the file from the comments page, shows the preview, and confirms it', async () => {
      const round = await roundOfComments();
      const member = await signIn(app, round.members.BY);
      const list = cheerio.load((await member.agent.get(`/documents/${round.id}/comments`).expect(200)).text);
      const action = list('[data-test=import-form]').attr('action')!;
      assert.equal(action, `/documents/${round.id}/comment-imports`, 'no token in the address');
      const token = list('[data-test=import-form] input[name=_csrf]').attr('value')!;
      const sent = await member.agent.post(action).field('_csrf', token).attach('file', fixture('iso-2012-03-ru.xlsx'), 'замечания.xlsx').expect(303);
      const preview = cheerio.load((await member.agent.get(sent.headers.location!).expect(200)).text);
      assert.equal(preview('[data-test=import-row]').length, 5);
      assert.match(preview('[data-test=import-lead]').text(), /замечания\.xlsx/);
      assert.match(preview('[data-test=import-row]').first().text(), /4\.3\.1/);
      const form = preview('[data-test=import-confirm]');
      const done = await member.agent.post(form.attr('action')!).type('form').send({ _csrf: form.find('[name=_csrf]').val() }).expect(303);
      assert.match(done.headers.location!, /imported=5/);
      const after = cheerio.load((await member.agent.get(done.headers.location!).expect(200)).text);
      assert.match(after('[data-test=imported]').text(), /5/);
      assert.equal(after('[data-test=internal] tbody tr').length, 5);
    });

    it('shows a bad file as a message on the comments page and stores nothing', async () => {
      const round = await roundOfComments();
      const member = await signIn(app, round.members.BY);
      const res = await member.agent.post(`/documents/${round.id}/comment-imports`).field('_csrf', member.csrf).attach('file', fixture('not-a-zip.docx'), 'замечания.docx').expect(415);
      assert.match(cheerio.load(res.text)('[role=alert]').text(), /DOCX|XLSX/);
      assert.equal((await commentsOf(round.id)).length, 0);
    });
  });
});
