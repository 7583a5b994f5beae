// bench:profile — where a signed-in request spends its time. Starts Accord (production mode) with
// `node --cpu-prof`, loads one target with autocannon, stops the server so that it writes its profile,
// and prints the ten frames with the most self time, with their share of the profile.
//
//   tsx test/bench/profile.ts account          GET /account as a signed-in member
//   tsx test/bench/profile.ts sign-in          GET /sign-in as an anonymous visitor
//   tsx test/bench/profile.ts comment-post     POST a comment through the form
//   tsx test/bench/profile.ts document         GET the 600-clause document page (bench:pages' document)
//   tsx test/bench/profile.ts compare          GET its redline against revision 1
//   tsx test/bench/profile.ts xlsx-export      GET the XLSX export of a round of 5 000 comments (4 connections)
//   tsx test/bench/profile.ts csv-export       the same round's CSV export
//   tsx test/bench/profile.ts summary          the same round's summary, first screen (the comments page)
//   BENCH_DURATION / BENCH_CONNECTIONS as in the other benches; the .cpuprofile is kept in .cache/profiles
//   (open it in Chrome's DevTools or speedscope for the flame graph).
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import autocannon from 'autocannon';
import { connectDatabase, disconnectDatabase } from '../../server/db/connect.js';
import { createDocument, getRevision } from '../../server/documents/index.js';
import { orderKey } from '../../server/comments/index.js';
import { loadTemplates, templatesDir } from '../../server/documents/templates.js';
import { transition } from './system.js';
import { mongoose } from '../../server/db/mongoose.js';
import { Comment } from '../../server/comments/model.js';
import { makeBigDocument } from './big-document.js';
import { actorOf, makeUser } from '../helpers/factories.js';
import { repoRoot, startAccord, type AccordInstance } from '../helpers/server.js';
import { CONNECTIONS, DURATION_S, WARMUP_S, csrfOf, runBench, signIn, table } from './tools.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Self time per frame (function, file, line), summed over the profile's nodes, largest first. */
export function topSelfFrames(profile: CpuProfile, lastSeconds: number, n = 10): { frame: string; share: number; ms: number }[] {
  // Only the samples of the last `lastSeconds` (the load), not the server's start-up.
  const from = profile.endTime - lastSeconds * 1e6;
  const byNode = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (at >= from) byNode.set(id, (byNode.get(id) ?? 0) + delta);
  });
  const byFrame = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const us = byNode.get(node.id) ?? 0;
    total += us;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? `${url.replace(/^file:\/\//, '').replace(`${repoRoot}/`, '')}:${lineNumber + 1}` : '';
    const frame = `${functionName || '(anonymous)'} ${where}`.trim();
    byFrame.set(frame, (byFrame.get(frame) ?? 0) + us);
  }
  return [...byFrame.entries()]
    .filter(([frame]) => frame !== '(idle)')
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([frame, us]) => ({ frame, share: us / total, ms: us / 1000 }));
}

async function target(name: string, base: string): Promise<autocannon.Options> {
  if (name === 'sign-in') return { url: `${base}/sign-in` };
  const member = await makeUser('member', { delegation: 'BY', name: 'Ирина Ковалёва' });
  const cookie = await signIn(base, member.email, member.password);
  if (name === 'account') return { url: `${base}/account`, headers: { cookie } };
  const secretary = actorOf(await makeUser('secretariat'));
  if (name === 'document' || name === 'compare') {
    const id = await makeBigDocument(secretary, await loadTemplates(templatesDir), 600);
    return { url: `${base}/documents/${id}${name === 'compare' ? '/compare?from=1&to=2' : ''}`, headers: { cookie } };
  }
  if (name === 'xlsx-export' || name === 'csv-export' || name === 'summary') return roundTarget(name, base, secretary);
  if (name !== 'comment-post') throw new Error(`unknown target ${name}: account, sign-in, comment-post, document, compare, xlsx-export, csv-export or summary`);
  const doc = await createDocument(secretary, await loadTemplates(templatesDir), {
    kind: 'general-technical-requirements', titleRu: 'Микросхемы интегральные', titleEn: 'Integrated circuits', productGroup: 'integrated-circuits', ics: '31.200', developer: 'ОАО «ИНТЕГРАЛ»',
  }, new Date());
  await transition(secretary, String(doc._id), 'circulate', { now: new Date(), closesAt: new Date(Date.now() + 30 * 86400_000), acceptWarnings: true });
  const page = await fetch(`${base}/documents/${doc._id}/comments`, { headers: { cookie } });
  const body = new URLSearchParams({ _csrf: csrfOf(await page.text()), clauseKey: 'scope', type: 'te', text: 'Уточнить область применения: указать классы исполнения.', proposedChange: 'Дополнить перечнем классов.' }).toString();
  return { url: `${base}/documents/${doc._id}/comments`, method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body };
}

/** A round of 5 000 released comments (as bench:comments stores them, each with its place in the summary) and its XLSX or CSV export or its summary page, as the secretariat. */
async function roundTarget(name: string, base: string, secretary: ReturnType<typeof actorOf>): Promise<autocannon.Options> {
  const doc = await createDocument(secretary, await loadTemplates(templatesDir), {
    kind: 'general-technical-requirements', titleRu: 'Микросхемы интегральные. Сводка', titleEn: 'Integrated circuits', productGroup: 'integrated-circuits', ics: '31.200', developer: 'ОАО «ИНТЕГРАЛ»',
  }, new Date());
  await transition(secretary, String(doc._id), 'circulate', { now: new Date(), closesAt: new Date(Date.now() + 30 * 86400_000), acceptWarnings: true });
  const clauses = ['scope', 'normative-references', 'terms', 'technical-requirements'];
  const keys = (await getRevision(doc, 1)).clauses.map((c) => c.key);
  const now = Date.now();
  const author = new mongoose.Types.ObjectId(secretary.id);
  const docs = Array.from({ length: 5000 }, (_, i) => {
    const delegation = i % 2 ? 'RU' : 'BY';
    const seq = Math.floor(i / 2) + 1;
    const number = `${delegation}-${String(seq).padStart(3, '0')}`;
    return {
      document: doc._id, round: 1, revision: 1, clauseKey: clauses[i % clauses.length], type: ['ge', 'te', 'ed'][i % 3], text: `Замечание ${i}: уточнить формулировку пункта и привести в соответствие с ГОСТ 1.5.`, proposedChange: 'Изложить в новой редакции.',
      delegation, author, authorName: 'Ирина Ковалёва', status: 'released', number, seq, numberKey: `${doc._id}:1:${number}`, replies: [], version: 1,
      disposition: i % 4 ? { decision: 'accepted', by: author, byName: 'Секретариат', at: new Date() } : null,
      order: orderKey(keys.includes(clauses[i % clauses.length]!) ? keys.indexOf(clauses[i % clauses.length]!) : undefined, null), createdAt: new Date(now + i), updatedAt: new Date(now + i),
    };
  });
  for (let i = 0; i < docs.length; i += 1000) await Comment.collection.insertMany(docs.slice(i, i + 1000));
  const user = await makeUser('secretariat');
  const cookie = await signIn(base, user.email, user.password);
  const path = name === 'summary' ? 'comments' : `comments/export.${name === 'xlsx-export' ? 'xlsx' : 'csv'}`;
  return { url: `${base}/documents/${doc._id}/${path}`, headers: { cookie }, connections: 4 };
}

async function main(): Promise<void> {
  const name = process.argv[2] ?? 'account';
  const dir = path.join(repoRoot, '.cache', 'profiles', `${name}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  console.log(`bench:profile ${name}`);
  console.log(`  load average before: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  let accord: AccordInstance | undefined;
  try {
    accord = await startAccord({ database: `accord_profile`, env: { NODE_ENV: 'production', LOG_LEVEL: 'warn' }, nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`] });
    await connectDatabase(accord.mongoUri);
    const opts = await target(name, accord.server.url);
    await disconnectDatabase();
    await autocannon({ connections: CONNECTIONS, ...opts, duration: WARMUP_S });
    const r = await autocannon({ connections: CONNECTIONS, ...opts, duration: DURATION_S });
    console.log(`  ${r.requests.average.toFixed(0)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, ${r.errors} errors, ${r.non2xx - r['3xx']} failures`);
  } finally {
    await disconnectDatabase().catch(() => undefined);
    await accord?.stop();
  }
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`the server wrote no profile into ${dir}`);
  const top = topSelfFrames(JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as CpuProfile, DURATION_S);
  console.log(table([['self time', 'share', 'frame'], ...top.map((t) => [`${t.ms.toFixed(0)} ms`, `${(t.share * 100).toFixed(1)} %`, t.frame])]));
  console.log(`  profile: ${path.relative(repoRoot, path.join(dir, file))}`);
  console.log(`  load average after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}

runBench(main);
