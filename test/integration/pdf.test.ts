import assert from 'node:assert/strict';
import type { Express } from 'express';
import * as cheerio from 'cheerio';
import request from 'supertest';
import { signIn, tokenFor, type Agent } from '../helpers/agent.js';
import { testApp } from '../helpers/app.js';
import { makeDocument, makeUser } from '../helpers/factories.js';
import { PdfFile, squash } from '../unit/pdf/tools.js';

/** supertest keeps a PDF as bytes only when told how to read it. */
function binary(res: request.Response, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

describe('PDF downloads', function () {
  this.timeout(60_000);
  let app: Express;
  let secretariat: { agent: Agent; csrf: string };
  let bearer: string;

  before(async () => {
    app = testApp();
    const user = await makeUser('secretariat');
    secretariat = await signIn(app, user);
    bearer = await tokenFor(user);
  });

  const api = (method: 'get' | 'post' | 'patch', url: string, body: object = {}) =>
    request(app)[method](url).set('Authorization', `Bearer ${bearer}`).send(body);

  /** A document with a second revision in which the general requirements clause was reworded. */
  async function documentWithTwoRevisions(): Promise<string> {
    const { id } = await makeDocument({ title: 'Станки лазерные. Общие технические требования' });
    await api('post', `/api/documents/${id}/transitions/circulate`, { closesAt: new Date(Date.now() + 30 * 86400_000).toISOString() }).expect(200);
    await api('post', `/api/documents/${id}/transitions/closeComments`).expect(200);
    await api('post', `/api/documents/${id}/transitions/newRound`).expect(200);
    await api('post', `/api/documents/${id}/revisions`).expect(201);
    const r2 = (await api('get', `/api/documents/${id}/revisions/2`).expect(200)).body;
    await api('patch', `/api/documents/${id}/clauses/requirements-general`, { version: r2.version, patch: { body: 'Станки должны соответствовать требованиям настоящего стандарта и конструкторской документации.' } }).expect(200);
    return id;
  }

  it('streams a draft revision as a PDF with a sensible file name, to the committee only', async () => {
    const { id } = await makeDocument({ title: 'Микросхемы интегральные. Общие технические требования' });
    const res = await secretariat.agent.get(`/documents/${id}/revisions/1/pdf`).buffer(true).parse(binary).expect(200);
    assert.equal(res.headers['content-type'], 'application/pdf');
    assert.equal(res.headers['transfer-encoding'], 'chunked', 'streamed, not buffered whole');
    assert.match(res.headers['content-disposition']!, /^attachment; filename="[^"]+\.pdf"; filename\*=UTF-8''%D0%9C%D0%B8%D0%BA%D1%80%D0%BE%D1%81%D1%85%D0%B5%D0%BC%D1%8B%20%D0%B8%D0%BD%D1%82%D0%B5%D0%B3%D1%80%D0%B0%D0%BB%D1%8C%D0%BD%D1%8B%D0%B5%2C%20%D1%80%D0%B5%D0%B4%D0%B0%D0%BA%D1%86%D0%B8%D1%8F%201\.pdf$/);
    const pdf = new PdfFile(res.body as Buffer);
    try {
      const pages = pdf.pages();
      assert.match(squash(pages[0]!), /МИКРОСХЕМЫ ИНТЕГРАЛЬНЫЕ Общие технические требования/);
      assert.match(squash(pages[0]!), /ПРОЕКТ, первая редакция Стадия 20\.20/);
      pages.forEach((p, i) => assert.match(p, /ПРОЕКТ \/ DRAFT/, `page ${i + 1}`));
      assert.match(squash(pdf.text()), /1 Область применения Настоящий стандарт распространяется/);
      assert.ok(pdf.fonts().every((f) => f.embedded));
    } finally {
      pdf.remove();
    }

    const member = await signIn(app, await makeUser('member', { delegation: 'RU' }));
    await member.agent.get(`/documents/${id}/revisions/1/pdf`).expect(200);
    const manufacturer = await signIn(app, await makeUser('manufacturer'));
    await manufacturer.agent.get(`/documents/${id}/revisions/1/pdf`).expect(404);
    await request(app).get(`/documents/${id}/revisions/1/pdf`).expect(404);
    await request(app).get(`/documents/${id}/compare/pdf`).expect(404);
  });

  it('answers 404 for a revision that does not exist or is not a number', async () => {
    const { id } = await makeDocument();
    await secretariat.agent.get(`/documents/${id}/revisions/2/pdf`).expect(404);
    await secretariat.agent.get(`/documents/${id}/revisions/abc/pdf`).expect(404);
    await secretariat.agent.get(`/documents/${id}/revisions/0/pdf`).expect(404);
    await secretariat.agent.get(`/documents/${id}/compare/pdf?from=1&to=9`).expect(404);
    await secretariat.agent.get(`/documents/${id}/compare/pdf?from=1&from=2`).expect(404);
    await secretariat.agent.get(`/documents/${id}/compare/pdf?to=-1`).expect(404);
    await secretariat.agent.get('/documents/not-an-id/revisions/1/pdf').expect(404);
  });

  it('gives the same bytes for the same revision, twice', async () => {
    const { id } = await makeDocument();
    const a = await secretariat.agent.get(`/documents/${id}/revisions/1/pdf`).buffer(true).parse(binary).expect(200);
    const b = await secretariat.agent.get(`/documents/${id}/revisions/1/pdf`).buffer(true).parse(binary).expect(200);
    assert.ok((a.body as Buffer).equals(b.body as Buffer));
  });

  it('streams the redline of two revisions, named on every page', async () => {
    const id = await documentWithTwoRevisions();
    const res = await secretariat.agent.get(`/documents/${id}/compare/pdf?from=1&to=2`).buffer(true).parse(binary).expect(200);
    assert.equal(res.headers['content-type'], 'application/pdf');
    assert.match(decodeURIComponent(res.headers['content-disposition']!.split("UTF-8''")[1]!), /^Станки лазерные, 1-2 \(сравнение\)\.pdf$/);
    const pdf = new PdfFile(res.body as Buffer);
    try {
      const text = squash(pdf.text());
      assert.match(text, /Сравнение редакций 1 и 2/);
      assert.match(text, /Изменён 4\.1 · Пункт/);
      assert.match(text, /Станки должны соответствовать/);
      pdf.pages().forEach((p, i) => assert.match(p, /Сравнение редакций 1 и 2 · Станки лазерные/, `page ${i + 1}`));
    } finally {
      pdf.remove();
    }
    const earlier = await secretariat.agent.get(`/documents/${id}/revisions/1/pdf`).buffer(true).parse(binary).expect(200);
    const later = await secretariat.agent.get(`/documents/${id}/revisions/2/pdf`).buffer(true).parse(binary).expect(200);
    assert.ok(!(earlier.body as Buffer).equals(later.body as Buffer));
  });

  it('links the PDFs from the document page and the compare page', async () => {
    const id = await documentWithTwoRevisions();
    const page = cheerio.load((await secretariat.agent.get(`/documents/${id}/revisions/1`).expect(200)).text);
    assert.equal(page('a[data-test=pdf]').attr('href'), `/documents/${id}/revisions/1/pdf`);
    const compare = cheerio.load((await secretariat.agent.get(`/documents/${id}/compare?from=1&to=2`).expect(200)).text);
    assert.equal(compare('a[data-test=compare-pdf]').attr('href'), `/documents/${id}/compare/pdf?from=1&to=2`);
  });
});
