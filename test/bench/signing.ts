// bench:signing — what signing costs a publication (docs/signing.md): the sample standard scaled to
// about 100 pages is rendered once, then signed (PAdES B-B, the incremental update and the CMS) with an
// RSA 2048 key: the median time, the bytes it adds, and the time of the node-side check.
import { generateKeyPairSync } from 'node:crypto';
import os from 'node:os';
import { loadPdfAssets } from '../../server/pdf/assets.js';
import { pdfBuffer } from '../../server/pdf/document.js';
import { renderStandardPdf } from '../../server/pdf/standard.js';
import { checkPdfSignatures } from '../../server/publishing/signing/check.js';
import { CmsSigner } from '../../server/publishing/signing/cms.js';
import { selfSigned } from '../../server/publishing/signing/keys.js';
import { signPdf } from '../../server/publishing/signing/pades.js';
import { sampleView } from '../unit/pdf/sample.js';

const SCALE = Number(process.env.BENCH_SCALE ?? 70);
const RUNS = 15;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  console.log(`bench:signing — the sample standard scaled ×${SCALE}, ${RUNS} runs per key, ${os.cpus().length} cores, Node ${process.version}`);
  const assets = loadPdfAssets();
  let t = performance.now();
  const pdf = await pdfBuffer(renderStandardPdf(sampleView({ scale: SCALE, published: true }), assets));
  const renderMs = performance.now() - t;
  const pages = (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const keys = [
    { name: 'RSA 2048', signer: new CmsSigner({ key: rsa, certificates: [selfSigned(rsa, 'Bench').certificate], development: true }) },
  ];
  for (const { name, signer } of keys) {
    const times: number[] = [];
    let signed = pdf;
    for (let i = 0; i < RUNS; i++) {
      t = performance.now();
      signed = await signPdf(pdf, signer, { signingTime: new Date(), reason: 'Publication' });
      times.push(performance.now() - t);
    }
    t = performance.now();
    const [report] = checkPdfSignatures(signed);
    const checkMs = performance.now() - t;
    console.log(`${name}: ${pages} pages, ${(pdf.length / 1024).toFixed(0)} KB rendered in ${renderMs.toFixed(0)} ms; signing ${median(times).toFixed(1)} ms (median), +${((signed.length - pdf.length) / 1024).toFixed(1)} KB; node-side check ${checkMs.toFixed(1)} ms: ${report?.state}`);
  }
}

await main();
