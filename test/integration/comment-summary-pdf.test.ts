import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
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
});
