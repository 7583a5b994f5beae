// The committee signs what it publishes (docs/signing.md): the stored file of a publication is a PAdES
// signature that poppler's pdfsig validates, a flipped byte breaks it, and the verification page checks
// the signature of an uploaded file on its own.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { Express } from 'express';
import * as cheerio from 'cheerio';
import request from 'supertest';
import type { DocumentRecord } from '../../server/documents/model.js';
import { Setting } from '../../server/db/settings-model.js';
import { checkPdfSignatures } from '../../server/publishing/signing/check.js';
import { keyMaterial } from '../../server/publishing/signing/keys.js';
import { testApp } from '../helpers/app.js';
import { pdfsig } from '../helpers/pdfsig.js';
import { binary, makePublishedDocument, storedFileOf, testSigner } from '../helpers/publishing.js';
import { PdfFile, squash } from '../unit/pdf/tools.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A copy of the file with one byte changed at `at`. */
function flipped(bytes: Buffer, at: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[at] = copy[at]! ^ 0x01;
  return copy;
}

describe('signed publications', function () {
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

  async function upload(content: Buffer): Promise<cheerio.CheerioAPI> {
    const page = await request(app).get('/verify').expect(200);
    const cookie = ([] as string[]).concat(page.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
    const form = cheerio.load(page.text)('form[data-test=upload-form]');
    const action = form.attr('action')!;
    const res = await request(app).post(action).set('Cookie', cookie).field('_csrf', form.find('input[name=_csrf]').attr('value')!).attach('file', content, { filename: 'standard.pdf', contentType: 'application/pdf' }).expect(200);
    return cheerio.load(res.text);
  }

  it('pdfsig finds one valid PAdES signature over the whole stored file, by the committee', () => {
    const { output, signatures } = pdfsig(bytes);
    assert.equal(signatures.length, 1, output);
    const [s] = signatures;
    assert.equal(s!.validation, 'Signature is Valid.', output);
    assert.ok(s!.wholeDocument, `the signature covers the whole file:\n${output}`);
    assert.equal(s!.subFilter, 'ETSI.CAdES.detached');
    assert.match(s!.signer, /O=Комитет Союзного государства по стандартизации и качеству/);
    // A self-signed development certificate: pdfsig cannot trust it, which is not what is checked here.
    assert.match(s!.certificate, /issuer is unknown|untrusted|not trusted/i);
  });

  it('stores, hashes and serves the signed bytes: the SHA-256, the ETag and the download are of the same file', async () => {
    assert.equal(doc.publication!.sha256, sha256(bytes));
    const res = await request(app).get(`/catalogue/${id}/pdf`).buffer(true).parse(binary).expect(200);
    assert.equal(res.headers.etag, `"${sha256(bytes)}"`);
    assert.ok((res.body as Buffer).equals(bytes));
    assert.equal(checkPdfSignatures(res.body as Buffer)[0]!.state, 'valid');
  });

  it('names the signer and the day on the cover', () => {
    const cover = squash(new PdfFile(bytes).pages()[0]!);
    assert.match(cover, /Подписан электронной подписью для разработки: Комитет Союзного государства по стандартизации и качеству, \d{2}\.\d{2}\.\d{4}/);
  });

  it('pdfsig reports the signature broken when one byte inside the signed range is flipped', () => {
    const [range] = checkPdfSignatures(bytes);
    assert.ok(range);
    // A byte of the first page's content, well inside the first signed range [0, placeholder).
    const tampered = flipped(bytes, Math.floor(bytes.indexOf('/Contents <') / 2));
    const { output, signatures } = pdfsig(tampered);
    assert.equal(signatures.length, 1, output);
    assert.notEqual(signatures[0]!.validation, 'Signature is Valid.', output);
    assert.match(signatures[0]!.validation, /Digest Mismatch|invalid|not valid/i, output);
    assert.equal(checkPdfSignatures(tampered)[0]!.state, 'digestMismatch');
  });

  it('the verification page checks an uploaded copy\'s signature: who signed, when, and that it is a development signature', async () => {
    const $ = await upload(bytes);
    assert.equal($('[data-test=authentic]').length, 1);
    const s = $('[data-test=signature]');
    assert.equal(s.length, 1);
    assert.equal(s.attr('data-valid'), 'yes');
    const text = squash(s.text());
    assert.match(text, /Подпись верна: подписал Комитет Союзного государства по стандартизации и качеству, \d{2}\.\d{2}\.\d{4} \d{2}:\d{2} \(UTC\+3\)/);
    assert.match(text, /Сертификат — сертификат комитета/);
    assert.match(text, /подпись для разработки/);
  });

  it('the verification page reports a broken signature on a changed copy, and an unsigned file as unsigned', async () => {
    const broken = await upload(flipped(bytes, 2000));
    assert.equal(broken('[data-test=signature]').attr('data-valid'), 'no');
    assert.match(squash(broken('[data-test=signature]').text()), /Подпись нарушена: файл изменён после подписания/);

    const end = bytes.lastIndexOf('%%EOF', bytes.lastIndexOf('%%EOF') - 1);
    const unsigned = await upload(bytes.subarray(0, end + 5));
    assert.match(unsigned('[data-test=unsigned]').text(), /не подписан/);
  });

  it('the JSON verdict on the hash says who signed the file, and links the STS XML', async () => {
    const res = await request(app).get(`/api/verify/${sha256(bytes)}`).expect(200);
    const p = res.body.publication;
    assert.equal(p.signature.signer, testSigner().identity.name);
    assert.equal(p.signature.development, true);
    assert.equal(p.signature.certificateSha256, testSigner().identity.fingerprint);
    assert.equal(p.signature.signedAt, doc.publication!.publishedAt.toISOString());
    assert.equal(p.sts, `/catalogue/${id}/sts.xml`);
  });

  it('the publication page says who signed the stored file', async () => {
    const res = await request(app).get(`/verify/${id}`).expect(200);
    const text = squash(cheerio.load(res.text)('[data-test=signature]').text());
    assert.match(text, new RegExp(`${testSigner().identity.name}, \\d{2}\\.\\d{2}\\.\\d{4}`));
    assert.match(text, /подпись для разработки/);
  });

  it('without a configured certificate, makes one development certificate and keeps it in the database', async () => {
    await Setting.deleteOne({ _id: 'developmentSigner' });
    const [a, b] = await Promise.all([keyMaterial({}, 'Комитет'), keyMaterial({}, 'Комитет')]);
    const again = await keyMaterial({}, 'Комитет');
    assert.equal(a.development, true);
    assert.ok(a.certificates[0]!.equals(b.certificates[0]!), 'two instances starting together agree on one certificate');
    assert.ok(a.certificates[0]!.equals(again.certificates[0]!), 'a restart reads the same certificate');
  });
});
