// bench:growth — every list page as its collection grows: 100, 1 000 and 10 000 items. The committee's
// document list and the public catalogue (standards), the comments page (the summary of the released comments
// of one round), the administrator's list of people, and a document's page with the latest of its history and
// the first page of its whole history (events of one document);
// p50/p99, requests/s and the CPU of the server and engine per answer at 4 connections, for each size; and
// three of the pages' queries timed alone from the bench.
//
//   tsx test/bench/growth.ts        1 s warm-up, then 3 s per page and size (BENCH_WARMUP / BENCH_DURATION);
//                                   a page slower than a second an answer: 3 requests per connection instead
//
// What it shows (2-core development machine shared with other runs, load average 12-18, embedded engine;
// p50 at 100 / 1 000 / 10 000 items, answer size, CPU of server and engine per answer). Every committee list
// is shown a page at a time (server/http/paging.ts), so what a page sends no longer grows: the people 50 / 43 /
// 409 ms (58 KiB at every size; CPU 9 / 10 / 45 ms), the document list 54 / 67 / 814 ms (24 KiB; CPU 12 / 13 /
// 158 ms), the document page with the latest ten events of its history 38 / 35 / 378 ms (25 KiB; CPU 8 / 8 /
// 79 ms), the whole history's first page 16 / 31 / 395 ms (13 KiB), the comments of a round (the summary,
// already a hundred a page) 71 / 78 / 736 ms (94 KiB). Main just before, back to back: people 59 / 749 / 4 586
// ms (8.4 MB at 10 000; CPU 393 ms), document list (the newest 500) 319 / 636 / 1 050 ms (202 KiB), document
// page with its whole history 76 / 1 842 / 1 783 ms (2 MB; CPU 130 ms). What still grows is read, not sent: the
// embedded engine uses no non-unique index (docs/engine.md), so it sorts every document or person to find a
// page (the committee list's page query alone 2 / 11 / 193 ms; the bench's standards share 168 change times,
// so the tie-break on _id is compared often), and a document's history lives inside it, so each read of the
// document decodes all of it (at 10 000 events, most of the page's server CPU is BSON decoding). The catalogue
// stays flat (3 ms): it is searched in memory. The control row, a round of 10 comments while the other round
// grows, stays near 50-90 ms, but its query alone grows with the collection. On MongoDB every list's query —
// each filter of the people list, its count, the document list's page — has the index
// test/integration/index-coverage.test.ts finds for it, and the pages stay flat.
import os from 'node:os';
import autocannon from 'autocannon';
import { connectDatabase, disconnectDatabase } from '../../server/db/connect.js';
import { Comment } from '../../server/comments/model.js';
import { createDocument } from '../../server/documents/index.js';
import { DocumentModel } from '../../server/documents/model.js';
import { User } from '../../server/users/model.js';
import { loadTemplates, templatesDir } from '../../server/documents/templates.js';
import { actorOf, delegationId, makeUser } from '../helpers/factories.js';
import { startAccord, type AccordInstance } from '../helpers/server.js';
import { addComments, addHistory, addStandards, addUsers } from './growth-data.js';
import { transition } from './system.js';
import { childPids, cpuSeconds, runBench, seconds, signIn, table } from './tools.js';

const SIZES = [100, 1000, 10_000];
const CONNECTIONS = 4;
const WARMUP_S = seconds('BENCH_WARMUP', 1);
const DURATION_S = seconds('BENCH_DURATION', 3);
const CONTROL_COMMENTS = 10;

interface Page {
  label: string;
  path: string;
  cookie?: string;
}
interface Figures {
  p50: number;
  p99: number;
  rps: number;
  kib: number;
  /** CPU time of the server and the engine per answer: what an answer costs, whatever else the machine runs. */
  cpuMs: number;
  /** Answers other than 2xx, by status, and requests that failed outright. */
  failed: string;
}

const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

/**
 * One request per connection first, which also tells how long an answer takes; then a warm-up and
 * DURATION_S of load, or, for a page whose answers take longer than a third of that, three requests per
 * connection (so that a slow page is measured on whole answers, not cut off by the clock).
 */
async function measure(base: string, page: Page, pids: number[]): Promise<Figures> {
  const opts = { url: `${base}${page.path}`, connections: CONNECTIONS, timeout: 120, headers: page.cookie ? { cookie: page.cookie } : {} };
  const first = await autocannon({ ...opts, amount: CONNECTIONS });
  const slow = first.latency.min * 3 > DURATION_S * 1000;
  if (!slow) await autocannon({ ...opts, duration: WARMUP_S });
  const cpu = () => pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  const before = cpu();
  const r = await autocannon(slow ? { ...opts, amount: CONNECTIONS * 3 } : { ...opts, duration: DURATION_S });
  const answers = Math.max(1, r.requests.total);
  return { p50: r.latency.p50, p99: r.latency.p99, rps: r.requests.total / r.duration, kib: r.throughput.total / answers / 1024, cpuMs: ((cpu() - before) * 1000) / answers, failed: failures(r) };
}

function failures(r: autocannon.Result): string {
  const byStatus = Object.entries(r.statusCodeStats ?? {}).filter(([code]) => !code.startsWith('2')).map(([code, s]) => `${s.count}×${code}`);
  const broken = r.errors + r.timeouts;
  const all = [...byStatus, ...(broken ? [`${broken} errors`] : [])];
  return all.length ? all.join(' ') : '0';
}

/** A draft sent out for comments, as the secretariat member does. */
async function circulated(secretary: Awaited<ReturnType<typeof makeUser>>, title: string): Promise<string> {
  const doc = await createDocument(actorOf(secretary), await loadTemplates(templatesDir), {
    kind: 'general-technical-requirements', titleRu: title, titleEn: 'Integrated circuits', productGroup: 'integrated-circuits', ics: '31.200', developer: 'ОАО «ИНТЕГРАЛ»',
  }, new Date());
  await transition(actorOf(secretary), String(doc._id), 'circulate', { now: new Date(), closesAt: new Date(Date.now() + 30 * 86400_000), acceptWarnings: true });
  return String(doc._id);
}

/** Waits until the server's catalogue holds `size` standards (it checks the stored counter once a second). */
async function untilCatalogued(base: string, size: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if ((await (await fetch(`${base}/catalogue`)).text()).includes(`В каталоге ${size} `)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the catalogue did not reach ${size} standards`);
}

/** A query of a page, run from here: what the engine alone takes for it. */
interface Query {
  label: string;
  run(): Promise<unknown>;
}

/** Median time of `run` over 21 calls, in ms. */
async function timeQuery(run: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 21; i++) {
    const t = process.hrtime.bigint();
    await run();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return times.sort((a, b) => a - b)[10]!;
}

interface Setup {
  pages: Page[];
  queries: Query[];
  /** Brings every collection to `size` items. */
  grow(from: number, size: number): Promise<void>;
}

async function setUp(base: string): Promise<Setup> {
  const secretary = await makeUser('secretariat', { name: 'Секретариат' });
  const admin = await makeUser('administrator');
  const round = await circulated(secretary, 'Микросхемы интегральные. Замечания');
  const control = await circulated(secretary, 'Микросхемы интегральные. Десять замечаний');
  await addComments(control, secretary.id, 0, CONTROL_COMMENTS);
  const historyDoc = await circulated(secretary, 'Микросхемы интегральные. История');
  const by = { id: await delegationId('BY'), code: 'BY' };
  const sec = await signIn(base, secretary.email, secretary.password);
  const adm = await signIn(base, admin.email, admin.password);
  return {
    pages: [
      { label: 'documents (committee list)', path: '/documents', cookie: sec },
      { label: 'catalogue', path: '/catalogue' },
      { label: 'comments of one round', path: `/documents/${round}/comments`, cookie: sec },
      { label: `  control: a round of ${CONTROL_COMMENTS} comments`, path: `/documents/${control}/comments`, cookie: sec },
      { label: 'users (administrator)', path: '/admin/users', cookie: adm },
      { label: 'document page with its history', path: `/documents/${historyDoc}`, cookie: sec },
      { label: 'its whole history, first page', path: `/documents/${historyDoc}/history`, cookie: sec },
    ],
    queries: [
      { label: `comments of the round of ${CONTROL_COMMENTS}`, run: () => Comment.find({ document: control, round: 1, status: 'released' }).lean() },
      { label: 'committee list: a page of the 50 newest', run: () => DocumentModel.find({}).select({ titles: 1, state: 1, updatedAt: 1 }).sort({ updatedAt: -1, _id: -1 }).limit(50).lean() },
      { label: 'a person by e-mail (unique index)', run: () => User.findOne({ email: admin.email }).lean() },
    ],
    async grow(from, size) {
      await addStandards(from, size - from);
      await addComments(round, secretary.id, from, size - from);
      await addUsers(by, from, size - from);
      await addHistory(historyDoc, secretary.id, size - from);
      await untilCatalogued(base, size);
    },
  };
}

function reportQueries(queries: Query[], times: Map<string, number[]>): void {
  const rows = [['query, from the bench (median of 21)', ...SIZES.map((n) => `${n} items ms`)]];
  for (const q of queries) rows.push([q.label, ...times.get(q.label)!.map((t) => t.toFixed(2))]);
  console.log(`\n${table(rows)}`);
}

function report(pages: Page[], results: Map<string, Figures[]>): void {
  const rows = [['page', 'items', 'p50 ms', 'p99 ms', 'req/s', 'KiB/answer', 'CPU ms/answer', 'failed']];
  for (const page of pages) {
    SIZES.forEach((size, i) => {
      const f = results.get(page.label)![i]!;
      rows.push([i === 0 ? page.label : '', String(size), String(f.p50), String(f.p99), f.rps.toFixed(1), f.kib.toFixed(0), f.cpuMs.toFixed(0), f.failed]);
    });
  }
  console.log(`\n${table(rows)}`);
  console.log('  (CPU ms/answer: the server process and the engine together, per answer.)');
  console.log('\n  growth from 100 to 1 000 and to 10 000 items, of p50 and of CPU per answer:');
  for (const page of pages) {
    const f = results.get(page.label)!;
    const ratios = (pick: (x: Figures) => number) => f.slice(1).map((x) => `×${(Math.max(pick(x), 0.5) / Math.max(pick(f[0]!), 0.5)).toFixed(1)}`).join('  ');
    console.log(`    ${page.label.trim().padEnd(36)} p50 ${ratios((x) => x.p50)}   CPU ${ratios((x) => x.cpuMs)}`);
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  console.log('bench:growth');
  console.log(`  node ${process.version}, ${os.cpus().length} cores; ${CONNECTIONS} connections, ${WARMUP_S} s warm-up then ${DURATION_S} s per page and size`);
  console.log(`  load average before: ${load()}`);
  let accord: AccordInstance | undefined;
  try {
    accord = await startAccord({ database: 'accord_bench_growth', env: { NODE_ENV: 'production', LOG_LEVEL: 'warn' } });
    const base = accord.server.url;
    const pids = [accord.server.pid, ...childPids(process.pid, /de\.bwaldvogel/)];
    await connectDatabase(accord.mongoUri);
    const { pages, queries, grow } = await setUp(base);
    const results = new Map<string, Figures[]>(pages.map((p) => [p.label, []]));
    const times = new Map<string, number[]>(queries.map((q) => [q.label, []]));
    let filled = 0;
    for (const size of SIZES) {
      const t = Date.now();
      await grow(filled, size);
      filled = size;
      console.log(`  ${size} items each: filled in ${((Date.now() - t) / 1000).toFixed(1)} s; load average ${load()}`);
      for (const page of pages) results.get(page.label)!.push(await measure(base, page, pids));
      for (const q of queries) times.get(q.label)!.push(await timeQuery(q.run));
    }
    report(pages, results);
    reportQueries(queries, times);
    console.log(`\n  load average after: ${load()}; the run took ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await disconnectDatabase().catch(() => undefined);
    await accord?.stop();
  }
}

runBench(main);
