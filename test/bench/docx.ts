// bench:docx — how long the Word copy of a standard takes to render (docs/word.md), for the template-sized
// standard and for one of about 100 pages (as bench:pdf's), in this process.
//
//   tsx test/bench/docx.ts                 15 measured runs each after 3 warm-up runs
//   BENCH_RUNS=5 tsx test/bench/docx.ts    a quicker run
import { renderStandardDocx } from '../../server/docx/standard.js';
import { loadPdfAssets } from '../../server/pdf/assets.js';
import { sampleView } from '../unit/pdf/sample.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const WARMUP = 3;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function measure(scale: number): Promise<void> {
  const { text } = loadPdfAssets();
  const view = sampleView({ scale });
  let bytes = 0;
  const times: number[] = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const start = performance.now();
    bytes = (await renderStandardDocx(view, text)).length;
    if (i >= WARMUP) times.push(performance.now() - start);
  }
  console.log(`scale ${scale} (${view.clauses.length} clauses): median ${median(times).toFixed(0)} ms, max ${Math.max(...times).toFixed(0)} ms, ${(bytes / 1024).toFixed(0)} KB`);
}

await measure(0);
await measure(70);
