// bench:resilience — the figures of docs/engine.md, measured on real server processes with their own
// embedded engine (H2 file store), as `npm start` runs:
//   1. the engine stopped (SIGSTOP) for BENCH_STALL seconds: how long requests in flight, new requests
//      and /healthz take to answer, with what; how long after SIGCONT the server is healthy again;
//   2. the engine killed (SIGKILL, then SIGTERM): how long until /healthz is healthy again (restart);
//   3. SIGTERM of the server while its engine is dead: how long the server takes to stop;
//   4. kill -9 of the Node server under 50 writers posting comments for BENCH_WRITE seconds: comments
//      acknowledged (303), stored (counted after a restart on the same file store), acknowledged but lost.
//
//   tsx test/bench/resilience.ts            BENCH_STALL (default 15) / BENCH_WRITE (default 10), seconds
import os from 'node:os';
import { connectDatabase, disconnectDatabase } from '../../server/db/connect.js';
import { mongoose } from '../../server/db/mongoose.js';
import { Comment } from '../../server/comments/model.js';
import { createDocument } from '../../server/documents/index.js';
import { transition } from './system.js';
import { loadTemplates, templatesDir } from '../../server/documents/templates.js';
import { actorOf, makeUser } from '../helpers/factories.js';
import { engineProcesses, startServerProcess, startServerWithEngine, stopProcess, type ServerWithEngine } from '../helpers/server-process.js';
import { csrfOf, runBench, seconds, signIn } from './tools.js';

const STALL_S = seconds('BENCH_STALL', 15);
const WRITE_S = seconds('BENCH_WRITE', 10);
const WRITERS = 50;
const REQUEST_LIMIT_MS = 30_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const loadAverage = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

interface Answer {
  status: number | 'no answer';
  ms: number;
}

/** A request that reaches the database (a made-up API token is looked up, then refused: 401). */
async function timed(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  const start = performance.now();
  try {
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(REQUEST_LIMIT_MS) });
    await res.arrayBuffer();
    return { status: res.status, ms: performance.now() - start };
  } catch {
    return { status: 'no answer', ms: performance.now() - start };
  }
}
const databaseRequest = (base: string) => timed(`${base}/api/me`, { authorization: 'Bearer acc_not-a-real-token' });
const healthz = (base: string) => timed(`${base}/healthz`);

/** Milliseconds until check() holds, polling every 50 ms; Infinity after `limitMs`. */
async function timeUntil(check: () => Promise<boolean>, limitMs = 60_000): Promise<number> {
  const start = performance.now();
  while (!(await check().catch(() => false))) {
    if (performance.now() - start > limitMs) return Number.POSITIVE_INFINITY;
    await sleep(50);
  }
  return performance.now() - start;
}

function summary(answers: Answer[]): string {
  const counts = new Map<string, number>();
  for (const a of answers) counts.set(String(a.status), (counts.get(String(a.status)) ?? 0) + 1);
  const worst = Math.max(...answers.map((a) => a.ms));
  return `${[...counts].map(([status, n]) => `${n}× ${status}`).join(', ')}; slowest ${s(worst)} (${answers.map((a) => (a.ms / 1000).toFixed(1)).join(' ')})`;
}

async function stall(server: ServerWithEngine): Promise<void> {
  const base = server.url;
  const pid = server.enginePid()!;
  await stopProcess(pid);
  const stoppedAt = performance.now();
  const inFlight = Promise.all(Array.from({ length: 5 }, () => databaseRequest(base)));
  const later: Promise<Answer>[] = [];
  const health: Promise<Answer>[] = [];
  for (let t = 1; t < STALL_S; t++) {
    await sleep(stoppedAt + t * 1000 - performance.now());
    later.push(databaseRequest(base));
    health.push(healthz(base));
  }
  await sleep(stoppedAt + STALL_S * 1000 - performance.now());
  process.kill(pid, 'SIGCONT');
  const recovery = await timeUntil(async () => (await healthz(base)).status === 200 && (await databaseRequest(base)).status === 401);
  console.log(`\n  1. engine stopped (SIGSTOP) for ${STALL_S} s`);
  console.log(`     requests in flight when it stopped:   ${summary(await inFlight)}`);
  console.log(`     new requests, one a second:           ${summary(await Promise.all(later))}`);
  console.log(`     /healthz, one a second:               ${summary(await Promise.all(health))}`);
  console.log(`     healthy again after SIGCONT:          ${s(recovery)}`);
}

async function restart(server: ServerWithEngine, signal: 'SIGKILL' | 'SIGTERM'): Promise<void> {
  const base = server.url;
  const before = server.enginePid()!;
  process.kill(before, signal);
  const start = performance.now();
  const downIn = await timeUntil(async () => (await healthz(base)).status === 503, 10_000);
  const healthyIn = await timeUntil(async () => server.enginePid() !== before && (await healthz(base)).status === 200 && (await databaseRequest(base)).status === 401);
  console.log(`     ${signal}: /healthz said 503 after ${s(downIn)}, healthy again ${s(performance.now() - start)} after the death (${s(healthyIn)} after the 503)`);
}

async function stopWhileDead(server: ServerWithEngine): Promise<void> {
  await timeUntil(async () => (await healthz(server.url)).status === 200);
  process.kill(server.enginePid()!, 'SIGKILL');
  await sleep(700); // past the first back-off: a restart is under way
  const start = performance.now();
  const code = await server.stop();
  const leftBehind = engineProcesses(server.dataDir).length;
  console.log(`\n  3. SIGTERM of the server 0.7 s after its engine was killed: stopped in ${s(performance.now() - start)} (exit ${code}), engines left behind: ${leftBehind}`);
}

async function killUnderWriters(): Promise<void> {
  const first = await startServerWithEngine({ NODE_ENV: 'production' });
  const uri = `mongodb://127.0.0.1:${first.enginePort}/accord`;
  let second: Awaited<ReturnType<typeof startServerProcess>> | undefined;
  try {
    await connectDatabase(uri);
    const secretary = actorOf(await makeUser('secretariat'));
    const now = new Date();
    const doc = await createDocument(secretary, await loadTemplates(templatesDir), {
      kind: 'general-technical-requirements', titleRu: 'Микросхемы интегральные. Устойчивость', titleEn: 'Integrated circuits', productGroup: 'integrated-circuits', ics: '31.200', developer: 'ОАО «ИНТЕГРАЛ»',
    }, now);
    await transition(secretary, String(doc._id), 'circulate', { now, closesAt: new Date(now.getTime() + 30 * 86400_000), acceptWarnings: true });
    const documentId = String(doc._id);
    const member = await makeUser('member', { delegation: 'BY', name: 'Ирина Ковалёва' });
    await disconnectDatabase();

    const cookie = await signIn(first.url, member.email, member.password);
    const csrf = csrfOf(await (await fetch(`${first.url}/documents/${documentId}/comments`, { headers: { cookie } })).text());
    const acknowledged = new Set<string>();
    let killed = false;
    let failures = 0;
    const writer = async (w: number) => {
      for (let i = 0; !killed; i++) {
        const text = `Проверка устойчивости: замечание ${w}-${i}`;
        const body = new URLSearchParams({ _csrf: csrf, clauseKey: 'scope', type: 'te', text, proposedChange: 'Уточнить.' });
        try {
          const res = await fetch(`${first.url}/documents/${documentId}/comments`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body });
          await res.arrayBuffer();
          if (res.status === 303) acknowledged.add(text);
          else failures++;
        } catch {
          return; // the server is gone
        }
      }
    };
    const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));
    await sleep(WRITE_S * 1000);
    process.kill(first.pid, 'SIGKILL');
    killed = true;
    await Promise.all(writers);
    // The engine sees its stdin close and stops cleanly (the H2 store commits) on its own.
    const engineGone = await timeUntil(async () => engineProcesses(first.dataDir).length === 0, 30_000);

    second = await startServerProcess({ DATA_DIR: first.dataDir, ENGINE_PORT: String(first.enginePort) });
    await connectDatabase(uri);
    const stored = new Set((await Comment.find({ document: documentId }).select({ text: 1 }).lean()).map((c) => c.text));
    const lost = [...acknowledged].filter((t) => !stored.has(t)).length;
    console.log(`\n  4. kill -9 of the Node server after ${WRITE_S} s of ${WRITERS} writers posting comments`);
    console.log(`     acknowledged (303): ${acknowledged.size}, stored after restart: ${stored.size}, acknowledged but lost: ${lost} (other answers: ${failures})`);
    console.log(`     the engine stopped by itself ${s(engineGone)} after the writers saw the server go`);
  } finally {
    await disconnectDatabase().catch(() => undefined);
    await second?.stop();
    await first.cleanUp();
  }
}

async function main(): Promise<void> {
  console.log('bench:resilience');
  console.log(`  node ${process.version}, ${os.cpus().length} cores, load average before: ${loadAverage()}`);
  const server = await startServerWithEngine();
  try {
    await timeUntil(async () => (await healthz(server.url)).status === 200);
    await stall(server);
    console.log('\n  2. engine killed: restarted by the server');
    await restart(server, 'SIGKILL');
    await restart(server, 'SIGTERM');
    await stopWhileDead(server);
  } finally {
    await server.cleanUp();
  }
  await killUnderWriters();
  console.log(`\n  load average after: ${loadAverage()}`);
}

runBench(main);
