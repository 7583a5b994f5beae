// A published standard as NISO STS XML (docs/sts.md): beside the PDF on its catalogue page, in the JSON
// API (documented in /api/openapi.json), valid against the STS subset schema; nothing for a draft.
import assert from 'node:assert/strict';
import type { Express } from 'express';
import * as cheerio from 'cheerio';
import request from 'supertest';
import { testApp } from '../helpers/app.js';
import { makeDocument } from '../helpers/factories.js';
import { makePublishedDocument } from '../helpers/publishing.js';
import { stsSchema, xmllint } from '../helpers/xmllint.js';
import type { DocumentRecord } from '../../server/documents/model.js';

describe('NISO STS download', function () {
  this.timeout(60_000);
  let app: Express;
  let id: string;
  let doc: DocumentRecord;

  before(async () => {
    app = testApp();
    ({ id, doc } = await makePublishedDocument({ title: 'Кабели силовые. Общие технические условия' }));
  });

  it('is linked beside the PDF on the standard\'s page', async () => {
    const res = await request(app).get(`/catalogue/${id}`).expect(200);
    const $ = cheerio.load(res.text);
    assert.equal($('[data-test=downloads] a[data-test=sts]').attr('href'), `/catalogue/${id}/sts.xml`);
  });

  for (const path of ['/catalogue/:id/sts.xml', '/api/catalogue/:id/sts.xml']) {
    it(`${path} answers the published text as STS XML, valid against the schema`, async () => {
      const res = await request(app).get(path.replace(':id', id)).buffer(true).parse((r, cb) => {
        let text = '';
        r.setEncoding('utf8');
        r.on('data', (c: string) => (text += c));
        r.on('end', () => cb(null, text));
      }).expect(200);
      assert.match(res.headers['content-type']!, /^application\/xml; charset=utf-8$/);
      assert.match(res.headers['content-disposition']!, /attachment; filename=".*\.xml"/);
      const xml = res.body as string;
      const lint = xmllint(xml, stsSchema);
      assert.ok(lint.ok, lint.output);
      const $ = cheerio.load(xml, { xml: true });
      assert.equal($('std-meta > std-ref[type=dated]').text(), doc.publication!.designation);
      assert.equal($('title-wrap[xml\\:lang=ru] > full').text(), 'Кабели силовые. Общие технические условия');
      assert.deepEqual($('meta-date[type=entry-into-force]').map((_, e) => $(e).attr('specific-use')).get(), ['BY', 'RU']);
      assert.ok($('body > sec > title').length > 0);
      assert.match($('std-meta > self-uri[content-type="application/pdf"]').attr('xlink:href')!, new RegExp(`/catalogue/${id}/pdf$`));
    });
  }

  it('is not found for a document that is not published', async () => {
    const { id: draft } = await makeDocument({});
    await request(app).get(`/catalogue/${draft}/sts.xml`).expect(404);
    const api = await request(app).get(`/api/catalogue/${draft}/sts.xml`).expect(404);
    assert.equal(api.body.error.status, 404);
  });

  it('is documented in the OpenAPI document as an XML answer', async () => {
    const spec = (await request(app).get('/api/openapi.json').expect(200)).body;
    const op = spec.paths['/api/catalogue/{id}/sts.xml'].get;
    assert.equal(op.operationId, 'getStandardSts');
    assert.deepEqual(Object.keys(op.responses['200'].content), ['application/xml']);
  });
});
