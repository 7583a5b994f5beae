// Files the comment import refuses, or reads with care, each answered with a sentence a person can act on
// and nothing stored: not an Office file by its content, no comment table, too many rows, too large, zip
// bombs (one that declares its size, one that lies about it), macros (ignored), formulas (taken as text).
import assert from 'node:assert/strict';
import type { Express } from 'express';
import request from 'supertest';
import { CommentImport } from '../../server/comments/import/model.js';
import { tokenFor } from '../helpers/agent.js';
import { testApp } from '../helpers/app.js';
import { commentsOf, roundOfComments, type Round } from '../helpers/comments.js';
import { fixture } from '../helpers/comment-import.js';

describe('comment import: bad files', () => {
  let app: Express;
  let round: Round;
  let bearer: string;
  before(async () => {
    app = testApp();
    round = await roundOfComments();
    bearer = `Bearer ${await tokenFor(round.members.BY)}`;
  });

  const upload = (file: Buffer, status: number) =>
    request(app).post(`/api/documents/${round.id}/comment-imports`).set('Authorization', bearer).type('application/octet-stream').send(file).expect(status);

  afterEach(async () => {
    assert.equal((await commentsOf(round.id)).length, 0, 'no comment is stored');
  });

  const refusals: [string, string, number, RegExp][] = [
    ['a PDF named .docx', 'not-a-zip.docx', 415, /не файл DOCX или XLSX|not a DOCX or XLSX/],
    ['a zip that is no Office package', 'zip-not-office.xlsx', 415, /DOCX|XLSX/],
    ['a Word file without a table of comments', 'no-table.docx', 422, /нет таблицы замечаний|no table of comments/],
    ['more than 2 000 rows', 'too-many-rows.xlsx', 413, /2001.*2000|2 001|2000/],
    ['a zip bomb that declares 100 MB', 'bomb.docx', 413, /80/],
    ['a zip bomb that declares 1 KB and inflates to 100 MB', 'bomb-lying.docx', 413, /80/],
  ];
  for (const [what, name, status, message] of refusals) {
    it(`refuses ${what} (${status})`, async () => {
      const before = await CommentImport.countDocuments({ document: round.id });
      const res = await upload(fixture(name), status);
      assert.match(res.body.error.message, message);
      assert.equal(await CommentImport.countDocuments({ document: round.id }), before, 'no upload is kept');
    });
  }

  it('refuses a file over 20 MB before reading it', async () => {
    const big = Buffer.alloc(21 * 1024 * 1024);
    big.writeUInt32LE(0x04034b50, 0);
    const res = await upload(big, 413);
    assert.match(res.body.error.message, /20/);
  });

  it('refuses a body that is a form or JSON rather than a file, and an empty one', async () => {
    await request(app).post(`/api/documents/${round.id}/comment-imports`).set('Authorization', bearer).send({ file: 'x' }).expect(415);
    const empty = await request(app).post(`/api/documents/${round.id}/comment-imports`).set('Authorization', bearer).type('application/octet-stream').send(Buffer.alloc(0)).expect(422);
    assert.match(empty.body.error.message, /файл|file/i);
  });

  it('reads a macro-enabled workbook without running anything, and says the macros were ignored', async () => {
    const res = await upload(fixture('macros.xlsm'), 201);
    assert.equal(res.body.macros, true);
    assert.equal(res.body.rows.length, 1);
    assert.equal(res.body.rows[0].text, 'Файл с макросами.');
  });

  it('takes a formula cell as text: its cached value when the file has one, else the formula itself', async () => {
    const res = await upload(fixture('formulas.xlsx'), 201);
    assert.deepEqual(res.body.rows.map((r: { text: string }) => r.text), ['Уточнить допуск', '=1+1']);
  });
});
