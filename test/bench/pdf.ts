// bench:pdf — how fast Accord renders a 100-page standard to PDF, against headless Chromium printing
// Accord's own HTML page of the same revision (issue 7, "Benchmark").
//
//   tsx test/bench/pdf.ts                 15 measured runs each after 3 warm-up runs
//   BENCH_RUNS=5 tsx test/bench/pdf.ts    a quicker run
//
// Accord's renderer runs in this process (layout, then the PDF streamed into a buffer). Chromium is
// Debian's, driven by playwright-core, already started and with the page's tab open before timing; the
// page is served by the real server (server/main.ts as a child process on its own memory engine), where
// the same revision is stored as a published document so that it is public.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { connectDatabase, disconnectDatabase } from '../../server/db/connect.js';
import { mongoose } from '../../server/db/mongoose.js';
import { DocumentModel, Revision } from '../../server/documents/model.js';
import { loadPdfAssets } from '../../server/pdf/assets.js';
import { pdfBuffer } from '../../server/pdf/document.js';
import { renderStandardPdf } from '../../server/pdf/standard.js';
import { startAccord, type AccordInstance } from '../helpers/server.js';
import { sampleSource, sampleView } from '../unit/pdf/sample.js';
import { standardPdfView } from '../../server/pdf/standard-view.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const WARMUP = 3;
const SCALE = Number(process.env.BENCH_SCALE ?? 70); // about 100 pages
const CONCURRENT = 10;
const GOAL_MS = 300;
const GOAL_RATIO = 3;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const ms = (x: number) => `${x.toFixed(0)} ms`;

function pdfPages(bytes: Buffer): number {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'accord-bench-pdf-'));
  try {
    const file = path.join(dir, 'f.pdf');
    writeFileSync(file, bytes);
    return Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Resident memory of this process's descendants (Chromium's browser, GPU and renderer processes). */
function descendantsRss(): number {
  const parent = new Map<number, number>();
  const rss = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${name}/status`, 'utf8'));
      if (m) rss.set(Number(name), Number(m[1]) * 1024);
    } catch { /* gone meanwhile */ }
  }
  const ours = (pid: number): boolean => {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) if (p === process.pid) return true;
    return false;
  };
  let total = 0;
  for (const [pid, bytes] of rss) if (ours(pid)) total += bytes;
  return total;
}

/** Peak of a sampled quantity while fn runs (sampled every 10 ms; the event loop must breathe). */
async function peakWhile<T>(sample: () => number, fn: () => Promise<T>): Promise<{ result: T; peak: number }> {
  let peak = sample();
  const timer = setInterval(() => (peak = Math.max(peak, sample())), 10);
  try {
    const result = await fn();
    peak = Math.max(peak, sample());
    return { result, peak };
  } finally {
    clearInterval(timer);
  }
}

async function storeDocument(accord: AccordInstance): Promise<string> {
  await connectDatabase(accord.mongoUri);
  const source = sampleSource({ scale: SCALE, published: true });
  const _id = new mongoose.Types.ObjectId();
  await Revision.create({ document: _id, number: 1, clauses: [...source.clauses], frozen: true, frozenAt: source.createdAt });
  await DocumentModel.create({
    _id, titles: source.titles, kind: 'general-technical-requirements', productGroup: 'integrated-circuits', ics: '31.200',
    developer: source.developer, state: 'published', stage: '60.60', round: 1, currentRevision: 1, designation: source.designation, history: [],
  });
  await disconnectDatabase();
  return String(_id);
}

async function main(): Promise<void> {
  console.log(`bench:pdf — the sample standard scaled ×${SCALE}, ${RUNS} measured runs after ${WARMUP} warm-up runs, ${os.cpus().length} cores, Node ${process.version}`);
  const assets = loadPdfAssets();
  const view = sampleView({ scale: SCALE, published: true });
  const renderOnce = () => pdfBuffer(renderStandardPdf(view, assets));
  // What tagging (PDF/UA structure, docs/pdf.md) costs: the same standard untagged, each run right after a
  // tagged one so that both see the same load on the machine.
  const renderUntagged = () => pdfBuffer(renderStandardPdf(view, assets, { tagged: false }));

  // ---- Accord ----------------------------------------------------------------------------------
  for (let i = 0; i < WARMUP; i++) await renderOnce().then(renderUntagged);
  const times: number[] = [];
  const untaggedTimes: number[] = [];
  let bytes: Buffer = Buffer.alloc(0);
  const heapBefore = process.memoryUsage();
  const { peak: accordPeak } = await peakWhile(() => process.memoryUsage().rss, async () => {
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      bytes = await renderOnce();
      times.push(performance.now() - t);
      const u = performance.now();
      await renderUntagged();
      untaggedTimes.push(performance.now() - u);
    }
  });
  const accordMs = median(times);
  const accordPages = pdfPages(bytes);
  const per100 = (x: number) => (x * 100) / accordPages;
  const untaggedMs = median(untaggedTimes);
  const t10 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENT }, () => pdfBuffer(renderStandardPdf(standardPdfView(sampleSource({ scale: SCALE, published: true })), assets))));
  const accord10 = performance.now() - t10;

  // ---- Chromium printing Accord's HTML page ----------------------------------------------------
  let accord: AccordInstance | undefined;
  let browser: Browser | undefined;
  try {
    accord = await startAccord({ database: 'accord_bench_pdf', env: { NODE_ENV: 'production', LOG_LEVEL: 'warn' } });
    const id = await storeDocument(accord);
    const url = `${accord.server.url}/documents/${id}`;
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    const page: Page = await browser.newPage();
    await page.goto(url, { waitUntil: 'load' });
    const print = () => page.pdf({ format: 'A4', printBackground: true });
    for (let i = 0; i < WARMUP; i++) await print();
    const pdfTimes: number[] = [];
    const navTimes: number[] = [];
    let chromeBytes: Buffer = Buffer.alloc(0);
    const { peak: chromePeak } = await peakWhile(descendantsRss, async () => {
      for (let i = 0; i < RUNS; i++) {
        const t0 = performance.now();
        await page.goto(url, { waitUntil: 'load' });
        const t1 = performance.now();
        chromeBytes = await print();
        const t2 = performance.now();
        navTimes.push(t2 - t0);
        pdfTimes.push(t2 - t1);
      }
    });
    const chromeMs = median(pdfTimes);
    const chromeNavMs = median(navTimes);
    const chromePages = pdfPages(chromeBytes);
    const tabs = await Promise.all(Array.from({ length: CONCURRENT }, async () => {
      const p = await browser!.newPage();
      await p.goto(url, { waitUntil: 'load' });
      return p;
    }));
    const c10 = performance.now();
    await Promise.all(tabs.map((p) => p.pdf({ format: 'A4', printBackground: true })));
    const chrome10 = performance.now() - c10;

    const ratio = chromeMs / accordMs;
    const rows: [string, string, string, string, string, string][] = [
      ['', 'ms per document (median)', 'pages', 'bytes', 'peak memory', `${CONCURRENT} at once`],
      ['Accord (PDFKit)', ms(accordMs), String(accordPages), String(bytes.length), `${mb(accordPeak)} RSS (heap +${mb(Math.max(0, process.memoryUsage().heapUsed - heapBefore.heapUsed))})`, ms(accord10)],
      ['Chromium page.pdf()', ms(chromeMs), String(chromePages), String(chromeBytes.length), `${mb(chromePeak)} RSS, all processes`, ms(chrome10)],
      ['Chromium load + pdf()', ms(chromeNavMs), '', '', '', ''],
    ];
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join('  '));
    console.log(`Accord runs (ms): ${times.map((x) => x.toFixed(0)).join(' ')}`);
    console.log(`per 100 pages (median): ${ms(per100(accordMs))} tagged (PDF/A-2a + PDF/UA-1), ${ms(per100(untaggedMs))} untagged (PDF/A-2b): tagging costs ${ms(per100(accordMs - untaggedMs))}; fastest runs ${ms(per100(Math.min(...times)))} and ${ms(per100(Math.min(...untaggedTimes)))}`);
    console.log(`ratio: Chromium page.pdf() / Accord = ${ratio.toFixed(1)}× (with page load ${(chromeNavMs / accordMs).toFixed(1)}×)`);
    console.log(`goal ≤ ${GOAL_MS} ms per 100 pages, tagged: ${per100(accordMs) <= GOAL_MS ? 'met' : 'NOT met'} (${ms(accordMs)} for ${accordPages} pages); goal ≥ ${GOAL_RATIO}× faster than warm Chromium: ${ratio >= GOAL_RATIO ? 'met' : 'NOT met'} (${ratio.toFixed(1)}×)`);
  } finally {
    await browser?.close();
    await accord?.stop();
  }
}

await main();
