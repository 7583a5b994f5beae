// Amendments and consolidated editions (docs/amendments.md): the foreword of a successor, the amendment
// as a document of its own kind, its PDF, the consolidated edition and what the catalogue says of it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import * as cheerio from 'cheerio';
import JSZip from 'jszip';
import request from 'supertest';
import { amend, publish } from '../../server/publishing/service.js';
import { signIn } from '../helpers/agent.js';
import { testApp, testSystem } from '../helpers/app.js';
import { actorOf, makeUser, type MadeUser } from '../helpers/factories.js';
import { approve, binary, entryInDays, makePublishedDocument, publishOptions, storedFileOf } from '../helpers/publishing.js';

/** The text pdftotext reads from a PDF, whitespace squashed. */
export function pdfText(bytes: Buffer): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'accord-amend-')), 'file.pdf');
  writeFileSync(file, bytes);
  return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
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
});
