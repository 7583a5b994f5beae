import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import * as cheerio from 'cheerio';
import request from 'supertest';
import { mongoose } from '../../server/db/mongoose.js';
import type { DocumentRecord } from '../../server/documents/model.js';
import { loadPdfAssets } from '../../server/pdf/assets.js';
import { renderStandardPdf } from '../../server/pdf/standard.js';
import { pdfBuffer } from '../../server/pdf/document.js';
import { asciiFileName, contentDisposition } from '../../server/http/attachment.js';
import { answerFor } from '../../server/publishing/http-file.js';
import { publish } from '../../server/publishing/service.js';
import { testApp } from '../helpers/app.js';
import { actorOf, makeDocument } from '../helpers/factories.js';
import { binary, entryInDays, makeApprovedDocument, makePublishedDocument, publishOptions, storedFileOf, streamingApp } from '../helpers/publishing.js';
import { sampleView } from '../unit/pdf/sample.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('downloads of published PDFs', function () {
  this.timeout(60_000);
  let app: Express;
  let id: string;
  let doc: DocumentRecord;
  let bytes: Buffer;

  before(async () => {
    app = testApp();
    ({ id, doc } = await makePublishedDocument());
    bytes = (await storedFileOf(doc)).bytes;
  });

  for (const [label, make] of [['from memory', () => app], ['streamed from GridFS', streamingApp]] as const) {
    describe(label, () => {
      let server: Express;
      before(() => {
        server = make();
      });

      it('serves the stored bytes, whose SHA-256 is the ETag and the publication record', async () => {
        for (let i = 0; i < 2; i++) {
          const res = await request(server).get(`/catalogue/${id}/pdf`).buffer(true).parse(binary).expect(200);
          const body = res.body as Buffer;
          assert.ok(body.equals(bytes), 'the bytes stored in GridFS');
          assert.equal(sha256(body), doc.publication!.sha256);
          assert.equal(res.headers.etag, `"${doc.publication!.sha256}"`);
          assert.equal(res.headers['content-type'], 'application/pdf');
          assert.equal(res.headers['content-length'], String(bytes.length));
          assert.equal(res.headers['last-modified'], doc.publication!.publishedAt.toUTCString());
          assert.equal(res.headers['accept-ranges'], 'bytes');
          assert.match(res.headers['cache-control']!, /^public, no-cache$/);
        }
      });

      it('names the file by its Cyrillic designation (RFC 6266/5987) with an ASCII fallback', async () => {
        const res = await request(server).get(`/catalogue/${id}/pdf`).expect(200);
        const cd = res.headers['content-disposition']!;
        const [, fallback, encoded] = /^attachment; filename="([^"]+)"; filename\*=UTF-8''(\S+)$/.exec(cd)!;
        assert.equal(decodeURIComponent(encoded!), `${doc.designation}.pdf`);
        assert.match(encoded!, /^%D0%A1%D0%A2%20%D0%A1%D0%93%20\d+-\d{4}\.pdf$/);
        assert.equal(fallback, `${doc.designation!.replace('СТ СГ', 'ST SG')}.pdf`);
        assert.match(fallback!, /^[\x20-\x7e]+$/);
      });

      it('answers 304 to a client whose copy is current', async () => {
        const etag = `"${doc.publication!.sha256}"`;
        const lastModified = doc.publication!.publishedAt.toUTCString();
        for (const headers of [
          { 'If-None-Match': etag },
          { 'If-None-Match': `W/${etag}` },
          { 'If-None-Match': `"other", ${etag}` },
          { 'If-None-Match': '*' },
          { 'If-Modified-Since': lastModified },
          { 'If-Modified-Since': new Date(Date.now() + 86400_000).toUTCString() },
        ]) {
          const res = await request(server).get(`/catalogue/${id}/pdf`).set(headers).expect(304);
          assert.equal(res.headers.etag, etag, JSON.stringify(headers));
          assert.equal(res.text ?? '', '');
        }
        // A stale copy gets the file; If-None-Match decides when both are sent.
        await request(server).get(`/catalogue/${id}/pdf`).set('If-None-Match', '"other"').expect(200);
        await request(server).get(`/catalogue/${id}/pdf`).set({ 'If-None-Match': '"other"', 'If-Modified-Since': lastModified }).expect(200);
        await request(server).get(`/catalogue/${id}/pdf`).set('If-Modified-Since', new Date(doc.publication!.publishedAt.getTime() - 60_000).toUTCString()).expect(200);
        await request(server).get(`/catalogue/${id}/pdf`).set('If-Modified-Since', 'not a date').expect(200);
      });

      it('answers a byte range with 206 and Content-Range', async () => {
        const size = bytes.length;
        const cases: [string, number, number][] = [
          ['bytes=0-99', 0, 99],
          ['bytes=100-', 100, size - 1],
          ['bytes=-500', size - 500, size - 1],
          [`bytes=${size - 10}-${size + 1000}`, size - 10, size - 1],
          [`bytes=-${size + 5}`, 0, size - 1],
          // Ranges that overlap or touch are one range.
          ['bytes=0-9,5-20', 0, 20],
          ['bytes=100-199, 200-299', 100, 299],
        ];
        for (const [range, start, end] of cases) {
          const res = await request(server).get(`/catalogue/${id}/pdf`).set('Range', range).buffer(true).parse(binary).expect(206);
          assert.equal(res.headers['content-range'], `bytes ${start}-${end}/${size}`, range);
          assert.equal(res.headers['content-length'], String(end - start + 1), range);
          assert.ok((res.body as Buffer).equals(bytes.subarray(start, end + 1)), range);
        }
      });

      it('honours If-Range: the range for the current copy, the whole file otherwise', async () => {
        const etag = `"${doc.publication!.sha256}"`;
        await request(server).get(`/catalogue/${id}/pdf`).set({ Range: 'bytes=0-9', 'If-Range': etag }).expect(206);
        await request(server).get(`/catalogue/${id}/pdf`).set({ Range: 'bytes=0-9', 'If-Range': doc.publication!.publishedAt.toUTCString() }).expect(206);
        const whole = await request(server).get(`/catalogue/${id}/pdf`).set({ Range: 'bytes=0-9', 'If-Range': '"stale"' }).buffer(true).parse(binary).expect(200);
        assert.equal((whole.body as Buffer).length, bytes.length);
      });

      it('ignores a Range it cannot serve as one part, and sends the whole file (RFC 9110 §14.2)', async () => {
        // Another unit, a header that does not parse, several separate ranges: 200 with every byte.
        for (const range of ['items=0-1', 'bytes=abc', 'bytes=0-10,abc', 'bytes 0-10', 'bytes=500-100', 'bytes=0-9,20-29', 'bytes=0-0,-1']) {
          const res = await request(server).get(`/catalogue/${id}/pdf`).set('Range', range).buffer(true).parse(binary);
          assert.equal(res.status, 200, range);
          assert.equal(res.headers['content-range'], undefined, range);
          assert.ok((res.body as Buffer).equals(bytes), range);
        }
      });

      it('refuses a range outside the file with 416 and a clear message', async () => {
        const size = bytes.length;
        for (const range of [`bytes=${size}-`, `bytes=${size + 100}-${size + 200}`, 'bytes=-0', `bytes=${size}-, ${size + 10}-`]) {
          const res = await request(server).get(`/catalogue/${id}/pdf`).set('Range', range).expect(416);
          assert.equal(res.headers['content-range'], `bytes */${size}`, range);
          assert.match(cheerio.load(res.text)('main, body').text(), /за пределами файла/, range);
          assert.doesNotMatch(res.headers['cache-control'] ?? '', /public|immutable/, 'an error is not cached for a year');
        }
        const json = await request(server).get(`/catalogue/${id}/pdf`).set({ Range: `bytes=${size}-`, Accept: 'application/json' }).expect(416);
        assert.match(json.body.error.message, new RegExp(`${size}`));
      });

      it('answers 412 when If-Match or If-Unmodified-Since does not hold', async () => {
        const etag = `"${doc.publication!.sha256}"`;
        const publishedAt = doc.publication!.publishedAt;
        for (const headers of [
          { 'If-Match': '"other"' },
          // If-Match compares strongly: a weak tag never matches.
          { 'If-Match': `W/${etag}` },
          { 'If-Match': '"other"', Range: 'bytes=0-9' },
          { 'If-Unmodified-Since': new Date(publishedAt.getTime() - 60_000).toUTCString() },
          { 'If-Match': '"other"', 'If-None-Match': etag },
        ]) {
          const res = await request(server).get(`/catalogue/${id}/pdf`).set(headers);
          assert.equal(res.status, 412, JSON.stringify(headers));
          assert.notEqual(res.headers['content-type'], 'application/pdf');
          assert.doesNotMatch(res.headers['cache-control'] ?? '', /public|immutable/);
        }
        const refused = await request(server).get(`/catalogue/${id}/pdf`).set({ 'If-Match': '"other"', Accept: 'application/json' }).expect(412);
        assert.match(refused.body.error.message, /If-Match/);
        for (const headers of [
          { 'If-Match': etag },
          { 'If-Match': `"other", ${etag}` },
          { 'If-Match': '*' },
          { 'If-Unmodified-Since': publishedAt.toUTCString() },
          { 'If-Unmodified-Since': 'not a date' },
          // If-Match decides when both are sent.
          { 'If-Match': etag, 'If-Unmodified-Since': new Date(publishedAt.getTime() - 60_000).toUTCString() },
        ]) {
          await request(server).get(`/catalogue/${id}/pdf`).set(headers).expect(200);
        }
        await request(server).get(`/catalogue/${id}/pdf`).set({ 'If-Match': etag, Range: 'bytes=0-9' }).expect(206);
        await request(server).get(`/catalogue/${id}/pdf`).set({ 'If-Match': etag, 'If-None-Match': etag }).expect(304);
      });

      it('answers HEAD with the headers alone', async () => {
        const res = await request(server).head(`/catalogue/${id}/pdf`).expect(200);
        assert.equal(res.headers['content-length'], String(bytes.length));
        assert.equal(res.headers.etag, `"${doc.publication!.sha256}"`);
      });
    });
  }

  it('never serves what is not published, and answers 404 (never 500) to id and path tricks', async () => {
    const draft = await makeDocument();
    const approved = await makeApprovedDocument();
    // A publication interrupted after storing its file, before the document was marked published.
    const pending = await makeApprovedDocument();
    await assert.rejects(publish(actorOf(pending.by), pending.id, entryInDays(10), publishOptions({ afterStep: (s) => { if (s === 'store') throw new Error('simulated crash'); } })));
    const paths = [
      `/catalogue/${draft.id}/pdf`,
      `/catalogue/${approved.id}/pdf`,
      `/catalogue/${pending.id}/pdf`,
      `/catalogue/${new mongoose.Types.ObjectId()}/pdf`,
      '/catalogue/not-an-id/pdf',
      `/catalogue/${id.toUpperCase()}x/pdf`,
      '/catalogue/..%2F..%2Fetc%2Fpasswd/pdf',
      `/catalogue/${id}%00/pdf`,
      `/catalogue/%7B%22%24ne%22%3Anull%7D/pdf`,
      `/catalogue/${id}/..%2F${draft.id}/pdf`,
      `/catalogue/${id}/pdf/..%2F..%2F${draft.id}`,
    ];
    for (const p of paths) {
      const res = await request(app).get(p);
      assert.equal(res.status, 404, p);
    }
    for (const p of [`/catalogue/${draft.id}/pdf`, `/catalogue/${pending.id}/pdf`]) {
      const res = await request(app).get(p).set('Range', 'bytes=0-10');
      assert.equal(res.status, 404, p);
      assert.notEqual(res.headers['content-type'], 'application/pdf');
    }
    // The draft's own PDF route stays the committee's.
    await request(app).get(`/documents/${draft.id}/revisions/1/pdf`).expect(404);
  });

  it('makes the filename safe for every client', () => {
    assert.equal(asciiFileName('СТ СГ 12-2027.pdf'), 'ST SG 12-2027.pdf');
    assert.equal(asciiFileName('Щётка ёж.pdf'), 'Shhyotka yozh.pdf');
    assert.equal(contentDisposition('a"b\\c.pdf'), `attachment; filename="a_b c.pdf"; filename*=UTF-8''a%22b%20c.pdf`);
    const v = { etag: '"abc"', lastModified: new Date(Date.UTC(2027, 0, 1)) };
    assert.deepEqual(answerFor({ range: 'bytes=0-0' }, v, 10), { kind: 'part', start: 0, end: 0 });
    assert.deepEqual(answerFor({ range: 'BYTES=2-3' }, v, 10), { kind: 'part', start: 2, end: 3 });
    assert.deepEqual(answerFor({ range: 'bytes=0-' }, v, 0), { kind: 'unsatisfiable' });
    assert.deepEqual(answerFor({ range: 'bytes=99999999999999999-' }, v, 10), { kind: 'unsatisfiable' });
    assert.deepEqual(answerFor({ range: 'bytes=0-1', 'if-range': '"stale"' }, v, 10), { kind: 'whole' });
  });
});

describe('verification', function () {
  this.timeout(60_000);
  let app: Express;
  let id: string;
  let doc: DocumentRecord;
  let bytes: Buffer;

  before(async () => {
    app = testApp();
    ({ id, doc } = await makePublishedDocument());
    bytes = (await storedFileOf(doc)).bytes;
  });

  /**
   * An anonymous visitor on the verify page: its CSRF cookie, the upload form's action (no token in it) and
   * the token, the form's first field.
   */
  async function visitor(): Promise<{ cookie: string; action: string; token: string }> {
    const res = await request(app).get('/verify').expect(200);
    const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
    const form = cheerio.load(res.text)('form[data-test=upload-form]');
    const action = form.attr('action')!;
    assert.equal(action, '/verify');
    assert.equal(form.attr('method'), 'post');
    assert.equal(form.attr('enctype'), 'multipart/form-data');
    const first = form.find('input').first();
    assert.equal(first.attr('name'), '_csrf', 'the token is the first field of the form');
    assert.match(cookie, /accord\.csrf=/);
    return { cookie, action, token: first.attr('value')! };
  }

  async function upload(content: Buffer, name = 'standard.pdf'): Promise<request.Response> {
    const { cookie, action, token } = await visitor();
    return request(app).post(action).set('Cookie', cookie).field('_csrf', token).attach('file', content, { filename: name, contentType: 'application/pdf' });
  }

  it('recognises an authentic upload: which designation, which revision, when published, in force', async () => {
    const res = await upload(bytes);
    assert.equal(res.status, 200);
    const $ = cheerio.load(res.text);
    const verdict = $('[data-test=authentic]').text();
    assert.match(verdict, new RegExp(`Подлинная опубликованная версия: ${doc.designation}, редакция ${doc.publication!.revision}, опубликована \\d{2}\\.\\d{2}\\.\\d{4}`));
    // Published today, in force from a day to come in each country: adopted, and when it comes into force.
    assert.match($('[data-test=status]').text(), /Принят, ещё не действует/);
    assert.match($('[data-test=country-status] li[data-code=BY]').text(), /^Республика Беларусь: Принят, вводится в действие с \d{2}\.\d{2}\.\d{4}$/);
    assert.equal($('[data-test=sha256]').text(), sha256(bytes));
  });

  it('tells an altered copy of a publication, and an unknown file, from an authentic one', async () => {
    const tampered = Buffer.from(bytes);
    const at = Math.floor(tampered.length / 2);
    tampered[at] = tampered[at]! ^ 0xff;
    const altered = cheerio.load((await upload(tampered)).text);
    assert.match(altered('[data-test=altered]').text(), new RegExp(`выдаёт себя за ${doc.designation}.*изменён`));
    assert.equal(altered('[data-test=authentic]').length, 0);

    const other = await pdfBuffer(renderStandardPdf(sampleView(), loadPdfAssets()));
    const unknown = cheerio.load((await upload(other)).text);
    assert.match(unknown('[data-test=unknown]').text(), /не публиковался/);
    assert.equal(unknown('[data-test=authentic]').length, 0);
  });

  it('refuses a file that is not a PDF with a clear message', async () => {
    for (const content of [Buffer.from('<html>not a pdf</html>'.repeat(100)), Buffer.from('%PD')]) {
      const res = await upload(content, 'fake.pdf');
      assert.equal(res.status, 415);
      assert.match(cheerio.load(res.text)('[role=alert]').text(), /Это не PDF/);
    }
    const { cookie, action, token } = await visitor();
    // No file chosen: the browser sends the file field empty.
    const nothing = await request(app).post(action).set('Cookie', cookie).field('_csrf', token).attach('file', Buffer.alloc(0), { filename: '', contentType: 'application/octet-stream' });
    assert.equal(nothing.status, 422);
    const page = cheerio.load(nothing.text);
    assert.match(page('[role=alert]').text(), /Файл не выбран/);
    assert.match(page('form[data-test=upload-form] .has-error .error').text(), /выберите файл PDF/);
  });

  it('refuses an upload without the form\'s CSRF token', async () => {
    const { cookie, token } = await visitor();
    await request(app).post('/verify').set('Cookie', cookie).attach('file', bytes, 'standard.pdf').expect(403);
    // Another token, or the token after the file (where it would be read only after the file), is no token.
    await request(app).post('/verify').set('Cookie', cookie).field('_csrf', 'x'.repeat(token.length)).attach('file', bytes, 'standard.pdf').expect(403);
    await request(app).post('/verify').set('Cookie', cookie).attach('file', bytes, 'standard.pdf').field('_csrf', token).expect(403);
    // In the address, where it no longer belongs, it is not taken either.
    await request(app).post(`/verify?_csrf=${encodeURIComponent(token)}`).set('Cookie', cookie).attach('file', bytes, 'standard.pdf').expect(403);
  });

  it('refuses a 200 MB upload with a clear 413, without reading it all', async () => {
    const { cookie, action, token } = await visitor();
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const { port } = server.address() as AddressInfo;
      const boundary = '----accordtest';
      const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\n`);
      const piece = Buffer.alloc(1024 * 1024, 0x20);
      const total = 200;
      let sent = 0;
      const answer = await new Promise<{ status: number; body: string; sentMb: number }>((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port, path: action, method: 'POST', headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Transfer-Encoding': 'chunked', Cookie: cookie } });
        let answered = false;
        req.on('response', (res) => {
          answered = true;
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode!, body, sentMb: sent }));
          res.on('error', reject);
        });
        req.on('error', (err) => {
          if (!answered) reject(err);
        });
        req.write(head);
        const pump = () => {
          while (!answered && sent < total) {
            sent++;
            if (!req.write(piece)) return void req.once('drain', pump);
          }
          if (!answered) req.end(`\r\n--${boundary}--\r\n`);
        };
        pump();
      });
      assert.equal(answer.status, 413);
      assert.match(cheerio.load(answer.body)('[role=alert]').text(), /слишком велик: для проверки принимаются файлы до 50 МБ/);
      assert.ok(answer.sentMb < 80, `the server answered after ${answer.sentMb} MB of 200`);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('looks up a pasted SHA-256, on the page and as JSON', async () => {
    const hash = sha256(bytes);
    const page = cheerio.load((await request(app).get(`/verify?sha256=${hash.toUpperCase()}`).expect(200)).text);
    assert.match(page('[data-test=authentic]').text(), new RegExp(doc.designation!));
    const unknown = cheerio.load((await request(app).get(`/verify?sha256=${'0'.repeat(64)}`).expect(200)).text);
    assert.equal(unknown('[data-test=unknown]').length, 1);
    const bad = await request(app).get('/verify?sha256=xyz').expect(422);
    assert.match(cheerio.load(bad.text)('[role=alert]').text(), /64 шестнадцатеричных символа/);

    const json = await request(app).get(`/api/verify/${hash}`).expect(200);
    assert.equal(json.body.authentic, true);
    assert.equal(json.body.publication.designation, doc.designation);
    assert.equal(json.body.publication.status, 'inForce');
    assert.equal(json.body.publication.download, `/catalogue/${id}/pdf`);
    assert.deepEqual((await request(app).get(`/api/verify/${'f'.repeat(64)}`).expect(200)).body, { sha256: 'f'.repeat(64), authentic: false });
    await request(app).get('/api/verify/abc').expect(400);
  });

  it('shows the publication behind the QR code: designation, hash and status', async () => {
    const $ = cheerio.load((await request(app).get(`/verify/${id}`).expect(200)).text);
    assert.equal($('[data-test=designation]').text(), doc.designation);
    assert.equal($('[data-test=sha256]').text(), doc.publication!.sha256);
    assert.match($('[data-test=status]').text(), /Принят, ещё не действует/);
    assert.equal($('[data-test=country-status] li').length, 2);
    assert.equal($('a[data-test=download]').attr('href'), `/catalogue/${id}/pdf`);
    const draft = await makeDocument();
    await request(app).get(`/verify/${draft.id}`).expect(404);
    await request(app).get('/verify/nonsense').expect(404);
  });
});
