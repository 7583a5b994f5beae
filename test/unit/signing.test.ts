// The signer (server/publishing/signing/): keys from a PKCS#12 file or a PEM pair, RSA and ECDSA, B-T
// with a time-stamping authority, each checked by poppler's pdfsig and by the node-side check.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../server/config.js';
import { loadPdfAssets } from '../../server/pdf/assets.js';
import { pdfBuffer } from '../../server/pdf/document.js';
import { renderStandardPdf } from '../../server/pdf/standard.js';
import { checkPdfSignatures, pdfDate } from '../../server/publishing/signing/check.js';
import { CmsSigner } from '../../server/publishing/signing/cms.js';
import { keyMaterial, SigningKeyError } from '../../server/publishing/signing/keys.js';
import { signPdf } from '../../server/publishing/signing/pades.js';
import { pdfIdOf } from '../../server/publishing/storage.js';
import { pdfsig } from '../helpers/pdfsig.js';
import { startTestTsa } from '../helpers/tsa.js';
import { sampleView } from './pdf/sample.js';

/** A key and a self-signed certificate made by openssl, as PEM files and as a PKCS#12 file. */
function opensslPair(dir: string, name: string, algorithm: 'rsa' | 'ec') {
  const key = path.join(dir, `${name}.key`);
  const cert = path.join(dir, `${name}.crt`);
  const p12 = path.join(dir, `${name}.p12`);
  const newKey = algorithm === 'rsa' ? ['-newkey', 'rsa:2048'] : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
  execFileSync('openssl', ['req', '-x509', ...newKey, '-nodes', '-keyout', key, '-out', cert, '-subj', `/O=${name} committee/CN=${name}`, '-days', '30'], { stdio: 'ignore' });
  execFileSync('openssl', ['pkcs12', '-export', '-inkey', key, '-in', cert, '-passout', 'pass:secret', '-out', p12], { stdio: 'ignore' });
  return { key, cert, p12 };
}

describe('the committee signer', function () {
  this.timeout(60_000);
  let dir: string;
  let pdf: Buffer;
  const at = new Date('2027-05-14T09:30:00Z');

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'accord-signing-'));
    pdf = await pdfBuffer(renderStandardPdf(sampleView({ published: true }), loadPdfAssets()));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const algorithm of ['rsa', 'ec'] as const) {
    it(`signs with an ${algorithm.toUpperCase()} key from a PKCS#12 file and from a PEM pair; pdfsig validates both`, async () => {
      const files = opensslPair(dir, algorithm, algorithm);
      for (const config of [{ p12: { file: files.p12, passphrase: 'secret' } }, { pem: { certFile: files.cert, keyFile: files.key } }]) {
        const signer = new CmsSigner(await keyMaterial(config, 'unused'));
        assert.equal(signer.identity.name, `${algorithm} committee`);
        assert.equal(signer.identity.development, false);
        const signed = await signPdf(pdf, signer, { signingTime: at, reason: 'Publication' });
        assert.ok(signed.subarray(0, pdf.length - 1).equals(pdf.subarray(0, pdf.length - 1)), 'the rendered bytes are kept: the signature is an incremental update');
        assert.equal(pdfIdOf(signed), pdfIdOf(pdf), 'the update repeats the file /ID');
        const { output, signatures } = pdfsig(signed);
        assert.equal(signatures[0]?.validation, 'Signature is Valid.', output);
        assert.ok(signatures[0]?.wholeDocument, output);
        const [report] = checkPdfSignatures(signed);
        assert.deepEqual({ state: report!.state, whole: report!.wholeFile, signer: report!.signer, at: report!.signedAt?.toISOString() }, { state: 'valid', whole: true, signer: `${algorithm} committee`, at: at.toISOString() });
      }
    });
  }

  it('refuses a PKCS#12 file with the wrong passphrase, saying so', async () => {
    const files = opensslPair(dir, 'wrong', 'rsa');
    await assert.rejects(keyMaterial({ p12: { file: files.p12, passphrase: 'not it' } }, 'x'), (err: Error) => err instanceof SigningKeyError && /passphrase/.test(err.message));
  });

  it('adds a time-stamp of the signature when a time-stamping authority is configured (B-T)', async () => {
    const tsa = await startTestTsa();
    try {
      const files = opensslPair(dir, 'bt', 'rsa');
      const signer = new CmsSigner(await keyMaterial({ pem: { certFile: files.cert, keyFile: files.key } }, 'x'), tsa.url);
      const before = Date.now();
      const signed = await signPdf(pdf, signer, { signingTime: at, reason: 'Publication' });
      assert.equal(tsa.requests, 1);
      assert.equal(pdfsig(signed).signatures[0]?.validation, 'Signature is Valid.');
      const [report] = checkPdfSignatures(signed);
      assert.equal(report!.state, 'valid');
      assert.equal(report!.timestamped, true);
      // The time is the authority's (now), not the one the signature dictionary claims.
      assert.ok(report!.signedAt!.getTime() >= before - 1000);
    } finally {
      await tsa.close();
    }
  });

  it('reads the signing configuration: a PKCS#12 file or a PEM pair, not half of one', () => {
    assert.deepEqual(loadConfig({}).signing, { p12: undefined, pem: undefined, tsaUrl: undefined });
    assert.equal(loadConfig({ SIGNING_P12_FILE: '/k/c.p12', SIGNING_P12_PASSPHRASE: 's' }).signing.p12?.passphrase, 's');
    assert.equal(loadConfig({ SIGNING_CERT_FILE: '/k/c.pem', SIGNING_KEY_FILE: '/k/k.pem' }).signing.pem?.keyFile, '/k/k.pem');
    assert.throws(() => loadConfig({ SIGNING_CERT_FILE: '/k/c.pem' }), /SIGNING_KEY_FILE/);
    assert.throws(() => loadConfig({ SIGNING_P12_FILE: '/k/c.p12', SIGNING_KEY_FILE: '/k/k.pem' }), /not both/);
    assert.throws(() => loadConfig({ TSA_URL: 'not a url' }), /TSA_URL/);
  });

  it('reads PDF dates with and without an offset', () => {
    assert.equal(pdfDate('D:20270514093000Z')?.toISOString(), '2027-05-14T09:30:00.000Z');
    assert.equal(pdfDate("D:20270514123000+03'00'")?.toISOString(), '2027-05-14T09:30:00.000Z');
    assert.equal(pdfDate('yesterday'), undefined);
  });
});
