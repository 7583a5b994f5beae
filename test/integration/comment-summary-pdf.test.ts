import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import { Comment } from '../../server/comments/model.js';
import { signIn } from '../helpers/agent.js';
import { testApp } from '../helpers/app.js';
import { makeCirculatedDocument, makeComment, makeUser } from '../helpers/factories.js';

function pdfText(bytes: Buffer, args: string[] = ['-layout']): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'accord-summary-')), 'summary.pdf');
  writeFileSync(file, bytes);
  return execFileSync('pdftotext', [...args, file, '-'], { encoding: 'utf8' });
}

describe('summary of comments as a PDF', () => {
  let app: Express;
  before(() => {
    app = testApp();
  });

  it('prints the released comments of a round, landscape, with their numbers and clauses', async () => {
    const { id } = await makeCirculatedDocument();
    await makeComment(id, { delegation: 'BY', text: 'Уточнить область применения: указать группы исполнения.', release: true });
    const { agent } = await signIn(app, await makeUser('secretariat'));
    const res = await agent.get(`/documents/${id}/comments/export.pdf`).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(200);
    assert.equal(res.headers['content-type'], 'application/pdf');
    const body = res.body as Buffer;
    assert.equal(body.subarray(0, 5).toString(), '%PDF-');
    const text = pdfText(body, []);
    assert.match(text, /BY-001/);
    assert.match(text, /группы\s+исполнения/);
    const info = execFileSync('pdfinfo', ['-'], { input: body, encoding: 'utf8' });
    const [, w, h] = /Page size:\s+([\d.]+) x ([\d.]+)/.exec(info) ?? [];
    assert.ok(Number(w) > Number(h), `landscape: ${w} x ${h}`);
  });

  it('prints the line number each comment gives, and the signs and letters of its text as typed', async () => {
    const { id } = await makeCirculatedDocument();
    const text = 'Температура (20 ± 2) ℃, угол 90°, 5 µм; ўзровень і адхіленне.';
    await makeComment(id, { delegation: 'BY', text, line: '127', proposedChange: 'Указать −40 ℃.', release: true });
    const { agent } = await signIn(app, await makeUser('secretariat'));
    const res = await agent.get(`/documents/${id}/comments/export.pdf`).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(200);
    const raw = pdfText(res.body as Buffer, []);
    const flat = raw.replace(/\s+/g, ' ');
    for (const s of ['℃', '±', '°', 'µ', 'ўзровень', 'адхіленне', '−40 ℃']) assert.ok(flat.includes(s), `«${s}» in the PDF text: ${flat}`);
    // The «№ строки» column: the comment's row holds its line number between the delegation and the clause.
    const layout = pdfText(res.body as Buffer);
    const row = layout.split('\n').find((l) => /\b127\b/.test(l));
    assert.ok(row, `a row with the line number 127:\n${layout}`);
    assert.match(layout, /№ строки|строки/);
    // The CSV carries the same line number in its column.
    const csv = await agent.get(`/documents/${id}/comments/export.csv`).expect(200);
    assert.match(csv.text, /;127;/);
  });

  it('keeps the line number typed in the comment form, and refuses one too long with a message', async () => {
    const { id } = await makeCirculatedDocument();
    const member = await makeUser('member', { delegation: 'BY' });
    const { agent, csrf } = await signIn(app, member);
    await agent.post(`/documents/${id}/comments`).type('form').send({ _csrf: csrf, clauseKey: 'scope', type: 'ed', text: 'Опечатка.', line: '12–14' }).expect(303);
    const stored = await Comment.findOne({ document: id }).lean();
    assert.equal(stored?.line, '12–14');
    const page = await agent.get(`/documents/${id}/comments/${stored!._id}`).expect(200);
    assert.match(page.text, /data-test="line">12–14</);
    const bad = await agent.post(`/documents/${id}/comments`).type('form').send({ _csrf: csrf, clauseKey: 'scope', type: 'ed', text: 'Опечатка.', line: '1'.repeat(41) }).expect(422);
    assert.match(bad.text, /has-error/);
    assert.equal(await Comment.countDocuments({ document: id }), 1);
  });
});
