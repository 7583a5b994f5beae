// bench:comments — comment posting through the whole HTTP stack (session, CSRF, validation, the service)
// against the raw driver's insert rate into the same engine, in one run; then the summary page and the
// XLSX export of a round of 5 000 comments: latency and the server's peak memory.
//
//   tsx test/bench/comments.ts                     BENCH_DURATION / BENCH_WARMUP / BENCH_CONNECTIONS as in bench:pages
//   tsx test/bench/comments.ts rounds              only the big rounds (BENCH_ROUNDS=5000,20000 by default)
//   tsx test/bench/comments.ts post                only the posting
import os from 'node:os';
import autocannon from 'autocannon';
import { connectDatabase, disconnectDatabase, DRIVER_TIME_LIMITS } from '../../server/db/connect.js';
import { mongoose } from '../../server/db/mongoose.js';
import { Comment } from '../../server/comments/model.js';
import { orderKey } from '../../server/comments/index.js';
import { createDocument, getRevision } from '../../server/documents/index.js';
import { transition } from './system.js';
import { loadTemplates, templatesDir } from '../../server/documents/templates.js';
import { actorOf, makeUser } from '../helpers/factories.js';
import { freePort, startAccord, startChild, stopChild, type AccordInstance } from '../helpers/server.js';
import { CONNECTIONS, DURATION_S, TURNS, childPids, csrfOf, measureInterleaved, peakMemoryMiB, ratioByTurn, signIn, table, runBench, type Measured } from './tools.js';

const GOAL_RATIO = 0.5;
const ROUND_SIZES = (process.env.BENCH_ROUNDS ?? '5000,20000').split(',').map(Number);
/** The load tool's time limit for one answer: an export of 20 000 comments under load takes longer than its default 10 s. */
const TIMEOUT_S = 60;
/** Answers of each export measured (3 on each of the 4 connections). */
const EXPORT_ANSWERS = 12;
const SECRET = 'bench-session-secret-that-is-long-enough-0123456789';

async function circulatedDocument(title: string): Promise<string> {
  const secretary = actorOf(await makeUser('secretariat'));
  const doc = await createDocument(secretary, await loadTemplates(templatesDir), {
    kind: 'general-technical-requirements', titleRu: title, titleEn: 'Integrated circuits', productGroup: 'integrated-circuits', ics: '31.200', developer: 'ОАО «ИНТЕГРАЛ»',
  }, new Date());
  await transition(secretary, String(doc._id), 'circulate', { now: new Date(), closesAt: new Date(Date.now() + 30 * 86400_000), acceptWarnings: true });
  return String(doc._id);
}

/** Raw driver inserts of the same comment documents, from CONNECTIONS concurrent loops, for `seconds`. */
async function rawInsertRate(documentId: string, author: string, seconds: number): Promise<number> {
  const col = mongoose.connection.db!.collection('comments_raw_bench');
  let n = 0;
  const until = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (Date.now() < until) {
        await col.insertOne({ document: new mongoose.Types.ObjectId(documentId), round: 1, revision: 1, clauseKey: 'scope', type: 'te', text: 'Уточнить область применения.', delegation: 'BY', author: new mongoose.Types.ObjectId(author), authorName: 'x', status: 'internal', replies: [], version: 0, createdAt: new Date(), updatedAt: new Date() });
        n++;
      }
    }),
  );
  await col.drop();
  return n / seconds;
}

async function main(): Promise<void> {
  console.log('bench:comments');
  console.log(`  node ${process.version}, ${os.cpus().length} cores, load average before: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  let accord: AccordInstance | undefined;
  let ceiling: Awaited<ReturnType<typeof startChild>> | undefined;
  try {
    accord = await startAccord({ database: 'accord_bench_comments', env: { NODE_ENV: 'production', LOG_LEVEL: 'warn', SESSION_SECRET: SECRET } });
    const base = accord.server.url;
    const enginePid = childPids(process.pid, /de\.bwaldvogel/)[0];
    await connectDatabase(accord.mongoUri);
    const postDoc = await circulatedDocument('Микросхемы интегральные. Приём замечаний');
    const member = await makeUser('member', { delegation: 'BY', name: 'Ирина Ковалёва' });
    const cookie = await signIn(base, member.email, member.password);
    const page = await fetch(`${base}/documents/${postDoc}/comments`, { headers: { cookie } });
    const csrf = csrfOf(await page.text());
    const body = new URLSearchParams({ _csrf: csrf, clauseKey: 'scope', type: 'te', text: 'Уточнить область применения: указать классы исполнения.', proposedChange: 'Дополнить перечнем классов.' }).toString();

    // 1. Posting through HTTP (a 303 back to the comments page is the success answer), against the least
    // stack doing the same job (test/bench/post-ceiling.ts) and the raw driver's insert rate.
    const headers = { cookie, 'content-type': 'application/x-www-form-urlencoded' };
    const url = `${base}/documents/${postDoc}/comments`;
    const ceilingPort = await freePort();
    ceiling = await startChild('test/bench/post-ceiling.ts', { PORT: String(ceilingPort), MONGODB_URI: accord.mongoUri, SESSION_SECRET: SECRET, CEILING_DOCUMENT: postDoc }, /post ceiling listening at/, 'post ceiling');
    const ceilingUrl = `http://127.0.0.1:${ceilingPort}/documents/${postDoc}/comments`;
    const pids = { server: accord.server.pid, engine: enginePid ?? -1 };
    const before = await Comment.countDocuments({ document: postDoc });
    // Accord and the ceiling take turns (tools.ts, measureInterleaved); warm-ups store comments too.
    const [http, bare] = await measureInterleaved([
      { label: 'comment POST through HTTP', url, headers, body, pids, accord: true },
      { label: 'ceiling', url: ceilingUrl, headers, body, pids: { server: ceiling.pid!, engine: enginePid ?? -1 }, accord: false },
    ]);
    const stored = (await Comment.countDocuments({ document: postDoc })) - before;
    await stopChild(ceiling);
    ceiling = undefined;
    const raw = await rawInsertRate(postDoc, member.id, DURATION_S);
    const [httpRate, ceilingRate] = [http!.rps, bare!.rps];
    const cpu = (m: Measured) => `CPU server/engine ${m.cpu.server!.toFixed(2)} / ${m.cpu.engine!.toFixed(2)}`;
    console.log(`\n  comment POST through HTTP: ${httpRate.toFixed(0)} req/s (p50 ${http!.p50} ms, p99 ${http!.p99} ms, ${http!.non2xx - http!.redirects + http!.errors} failures, ${stored} stored, ${http!.allRedirects} answered 303 with the warm-up's: up to ${CONNECTIONS} a run are still on their way when each of its ${TURNS + 1} runs stops, stored with no answer counted; ${cpu(http!)})`);
    console.log(`  ceiling (session store, body parsing, one insertOne): ${ceilingRate.toFixed(0)} req/s (p50 ${bare!.p50} ms, p99 ${bare!.p99} ms, ${bare!.non2xx - bare!.redirects + bare!.errors} failures; ${cpu(bare!)})`);
    console.log(`  raw driver insertOne, the physical limit: ${raw.toFixed(0)} inserts/s (${CONNECTIONS} concurrent)`);
    console.log(`  Accord / ceiling: ${((httpRate / ceilingRate) * 100).toFixed(0)} % (by turn ${ratioByTurn(http!, bare!)}) — goal ≥ ${GOAL_RATIO * 100} %: ${httpRate / ceilingRate >= GOAL_RATIO ? 'met' : 'NOT met'}; Accord / raw insert: ${((httpRate / raw) * 100).toFixed(0)} %`);

    console.log(`  load average: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  } finally {
    if (ceiling) await stopChild(ceiling);
    await disconnectDatabase().catch(() => undefined);
    await accord?.stop();
  }
}

/**
 * 2. A round of `size` released comments, on a server of its own (so that its peak memory is this round's):
 * the summary's first screen, and the CSV and XLSX exports, which stream.
 */
async function bigRound(size: number, failures: string[]): Promise<string[][]> {
  const accord = await startAccord({ database: `accord_bench_round_${size}`, env: { NODE_ENV: 'production', LOG_LEVEL: 'warn', SESSION_SECRET: SECRET } });
  try {
    const base = accord.server.url;
    await connectDatabase(accord.mongoUri);
    const roundDoc = await circulatedDocument(`Микросхемы интегральные. Сводка ${size} замечаний`);
    const member = await makeUser('member', { delegation: 'BY', name: 'Ирина Ковалёва' });
    const clauses = ['scope', 'normative-references', 'terms', 'technical-requirements'];
    // Each comment's place in the summary, as posting it stores it (order.ts).
    const keys = (await getRevision({ _id: new mongoose.Types.ObjectId(roundDoc) }, 1)).clauses.map((c) => c.key);
    const now = Date.now();
    const docs = Array.from({ length: size }, (_, i) => {
      const delegation = i % 2 ? 'RU' : 'BY';
      const seq = Math.floor(i / 2) + 1;
      const number = `${delegation}-${String(seq).padStart(3, '0')}`;
      return {
        document: new mongoose.Types.ObjectId(roundDoc), round: 1, revision: 1, clauseKey: clauses[i % clauses.length], type: ['ge', 'te', 'ed'][i % 3], text: `Замечание ${i}: уточнить формулировку пункта и привести в соответствие с ГОСТ 1.5.`, proposedChange: 'Изложить в новой редакции.',
        delegation, author: new mongoose.Types.ObjectId(member.id), authorName: 'Ирина Ковалёва', status: 'released', number, seq, numberKey: `${roundDoc}:1:${number}`, replies: [], version: 1,
        disposition: i % 4 ? { decision: 'accepted', by: new mongoose.Types.ObjectId(member.id), byName: 'Секретариат', at: new Date() } : null,
        order: orderKey(keys.includes(clauses[i % clauses.length]!) ? keys.indexOf(clauses[i % clauses.length]!) : undefined, null), createdAt: new Date(now + i), updatedAt: new Date(now + i),
      };
    });
    for (let i = 0; i < docs.length; i += 1000) await Comment.collection.insertMany(docs.slice(i, i + 1000));
    const secretary = await makeUser('secretariat');
    await disconnectDatabase();
    const engine = await engineProbe(accord.mongoUri);
    const cookie = await signIn(base, secretary.email, secretary.password);
    const rows: string[][] = [];
    const targets = [['summary, first screen', `/documents/${roundDoc}/comments`], ['CSV export', `/documents/${roundDoc}/comments/export.csv`], ['XLSX export', `/documents/${roundDoc}/comments/export.xlsx`]] as const;
    for (const [label, path] of targets) {
      const logFrom = accord.server.output().length;
      engine.reset();
      // An export of 20 000 comments under load takes longer than a run: a run of BENCH_DURATION would count
      // none of them, so an export is asked for a fixed number of times and every answer is counted.
      const length = path.includes('/export.') ? { amount: EXPORT_ANSWERS } : { duration: DURATION_S };
      const r = await autocannon({ url: `${base}${path}`, connections: 4, ...length, timeout: TIMEOUT_S, headers: { cookie } });
      rows.push([`${label}, ${size} comments`, r.requests.average.toFixed(1), String(r.latency.p50), String(r.latency.p99), String(r.requests.total), String(r.non2xx), String(r.errors), (r.throughput.total / Math.max(1, r.requests.total)).toFixed(0), engine.slowest(), os.loadavg()[0]!.toFixed(2)]);
      failures.push(...failuresOf(`${label}, ${size} comments`, r, accord.server.output().slice(logFrom), engine.failures()));
    }
    await engine.close();
    rows.push([`  peak memory of the server with ${size} comments: ${peakMemoryMiB(accord.server.pid).toFixed(0)} MiB`, '', '', '', '', '', '', '', '', '']);
    return rows;
  } finally {
    await disconnectDatabase().catch(() => undefined);
    await accord.stop();
  }
}

/**
 * What went wrong in one target's run, if anything: the answers by status, the load tool's own errors
 * (its timeout, `TIMEOUT_S`, counts as one) and the warnings and errors the server logged meanwhile.
 */
function failuresOf(label: string, r: autocannon.Result, log: string, engineFailures: string[]): string[] {
  const codes = Object.entries(r.statusCodeStats ?? {}).filter(([code]) => !code.startsWith('2'));
  const lines = new Map<string, number>();
  for (const line of log.split('\n').filter(Boolean)) {
    let key = line.slice(0, 160);
    try {
      const j = JSON.parse(line) as { level?: number; msg?: string; err?: { name?: string; message?: string } };
      key = `${j.msg ?? ''}${j.err ? `: ${j.err.name ?? ''} ${(j.err.message ?? '').slice(0, 120)}` : ''}`;
    } catch {
      // not a log record (a warning from Node itself)
    }
    lines.set(key, (lines.get(key) ?? 0) + 1);
  }
  if (!codes.length && !r.errors && !lines.size && !engineFailures.length) return [];
  return [
    `  ${label}: ${codes.map(([code, s]) => `${s.count} × ${code}`).join(', ') || 'no failed status'}; ${r.errors} client errors (${r.timeouts} after the load tool's ${TIMEOUT_S} s timeout)`,
    ...[...lines].map(([line, n]) => `    server logged ${n} × ${line}`),
    ...engineFailures.map((f) => `    the engine missed a health check: ${f}`),
  ];
}

/**
 * A client of its own with the server's time limits, watching how long the engine takes to answer the
 * driver's health checks (one a second): past connectTimeoutMS the driver takes the engine for gone and
 * every request gets 503 (docs/engine.md, "Time limits"), so the slowest check says how near that a load came.
 */
async function engineProbe(uri: string) {
  const client = new mongoose.mongo.MongoClient(uri, { ...DRIVER_TIME_LIMITS });
  let slowest = 0;
  let failed: string[] = [];
  client.on('serverHeartbeatSucceeded', (e) => (slowest = Math.max(slowest, e.duration)));
  client.on('serverHeartbeatFailed', (e) => failed.push(`after ${e.duration} ms, ${e.failure.name}: ${e.failure.message}`));
  await client.connect();
  return {
    reset: () => ((slowest = 0), (failed = [])),
    slowest: () => (failed.length ? `failed ${failed.length}×` : `${slowest}`),
    failures: () => failed,
    close: () => client.close(),
  };
}

async function rounds(): Promise<void> {
  const rows = [['', 'req/s', 'p50 ms', 'p99 ms', 'requests', 'non-2xx', 'errors', 'bytes/answer', 'engine check ms', 'load']];
  const failures: string[] = [];
  for (const size of ROUND_SIZES) rows.push(...(await bigRound(size, failures)));
  console.log(`\n${table(rows)}`);
  if (failures.length) console.log(failures.join('\n'));
  console.log(`  (4 connections each; the summary for ${DURATION_S} s, each export ${EXPORT_ANSWERS} times; errors: the load tool's own, its ${TIMEOUT_S} s timeout included; engine check: the slowest health check of the driver's kind meanwhile, 503s start past ${DRIVER_TIME_LIMITS.connectTimeoutMS} ms; load: 1-minute average at the end)`);
  console.log(`  (goals: first screen p50 < 200 ms, XLSX of 5 000 p50 < 600 ms, memory flat in the number of comments)`);
  console.log(`  load average after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}

runBench(async () => {
  const part = process.argv[2];
  if (part !== 'rounds') await main();
  if (part !== 'post') await rounds();
});
