// bench:modes — the same pages from `npm start` as installed (no NODE_ENV: production by default) and
// from `npm run dev` (NODE_ENV=development: views read and compiled on every request), each on a memory
// engine of its own. Prints req/s and latency per page and mode, and the ratio of the two.
//
//   tsx test/bench/modes.ts        BENCH_DURATION / BENCH_WARMUP / BENCH_CONNECTIONS as for the other benches
import os from 'node:os';
import { CONNECTIONS, DURATION_S, measure, runBench, table, WARMUP_S, type Measured } from './tools.js';
import { startAccord, type AccordInstance } from '../helpers/server.js';

const PAGES = ['/sign-in', '/catalogue', '/verify'];

async function pagesOf(mode: string, env: Record<string, string>): Promise<Measured[]> {
  let accord: AccordInstance | undefined;
  try {
    accord = await startAccord({ database: `accord_modes_${mode}`, env: { LOG_LEVEL: 'warn', ...env } });
    const results: Measured[] = [];
    for (const page of PAGES) {
      results.push(await measure({ label: `${page} (${mode})`, url: `${accord.server.url}${page}`, pids: { accord: accord.server.pid }, accord: true }));
    }
    return results;
  } finally {
    await accord?.stop();
  }
}

async function main(): Promise<void> {
  console.log('bench:modes');
  console.log(`  node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}`);
  console.log(`  load average before: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`  autocannon: ${CONNECTIONS} connections, ${WARMUP_S} s warm-up then ${DURATION_S} s per page`);
  const installed = await pagesOf('npm start', { NODE_ENV: '' });
  const dev = await pagesOf('npm run dev', { NODE_ENV: 'development' });
  const rows = [['page', 'npm start req/s', 'p99 ms', 'npm run dev req/s', 'p99 ms', 'start / dev', 'errors + non-2xx']];
  PAGES.forEach((page, i) => {
    const a = installed[i]!;
    const b = dev[i]!;
    rows.push([page, a.rps.toFixed(0), String(a.p99), b.rps.toFixed(0), String(b.p99), `${(a.rps / b.rps).toFixed(1)} ×`, String(a.errors + a.non2xx + b.errors + b.non2xx)]);
  });
  console.log(table(rows));
  console.log(`  load average after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}

runBench(main);
