// The 2 MB PDF download (issue 6, "Benchmark"): a published standard's stored PDF downloaded from Accord
// (GET /catalogue/:id/pdf) against express.static serving the same file from disk, requests/s and p50/p99
// at 50 connections, and each row's ratio to express.static. Part of `npm run bench:catalogue`
// (downloadBench()), and runnable alone:
//
//   tsx test/bench/download.ts                      10 s per target (3 interleaved turns, BENCH_TURNS) after a 2 s warm-up, 50 connections
//   BENCH_DURATION=2 BENCH_WARMUP=1 tsx test/bench/download.ts    a quick smoke run
//   BENCH_OTHER_FILES=2000 tsx test/bench/download.ts   the bucket also holding the chunks of 2 000 other files
//
// "Memory copy on" is the route as mounted: server/main.ts as a child process (NODE_ENV=production) on a
// memory engine of its own, answering from its in-memory copy of the file. "Memory copy off" is the
// route with that copy off (this file, started with BENCH_GRIDFS_URI): every byte streamed from GridFS;
// its goal is ≥ 80 % of express.static. The document and its GridFS file (in chunks of today's size) are
// written straight into the database, as a publication leaves them. express.static runs in a child of
// its own too (this file, with BENCH_STATIC_DIR), so no server shares its event loop with the load tool.
import { systemClock } from '../../server/time/clock.js';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { mongoose } from '../../server/db/mongoose.js';
import { loadPdfAssets } from '../../server/pdf/assets.js';
import { pdfBuffer } from '../../server/pdf/document.js';
import { renderStandardPdf } from '../../server/pdf/standard.js';
import { chunkSizeBytes } from '../../server/publishing/storage.js';
import { freePort, repoRoot, startAccord, startChild, stopChild, type AccordInstance } from '../helpers/server.js';
import { sampleView } from '../unit/pdf/sample.js';
import { pino } from 'pino';
import { assembleSystem } from '../../server/system.js';
import { alive, childPids, CONNECTIONS, DURATION_S, measureInterleaved, peakMemoryMiB, ratioByTurn, table, TURNS, WARMUP_S, type Measured } from './tools.js';

const GOAL_RATIO = 0.8;
/** Extra requirement chapters of the sample standard that make its compressed PDF about 2 MB (~450 pages). */
const SCALE = 385;
const READY = /static listening at/;
const thisFile = fileURLToPath(import.meta.url);

const loadAverage = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
const sha256 = (b: Buffer | Uint8Array) => createHash('sha256').update(b).digest('hex');

export interface DownloadFigures {
  size: number;
  static: Measured;
  /** The route as the server mounts it, answering from its in-memory copy. */
  memory: Measured;
  /** The same route with its in-memory copy turned off: every download streamed from GridFS. */
  streamed: Measured;
  /** requests/s of each against express.static's */
  ratios: { memory: number; streamed: number };
}

/** A published standard of about 2 MB, as the publication step renders it. */
async function twoMegabytePdf(): Promise<Buffer> {
  return pdfBuffer(renderStandardPdf(sampleView({ published: true, scale: SCALE }), loadPdfAssets()));
}

/** BENCH_OTHER_FILES: other published files whose chunks share the bucket (0 unless given). */
const OTHER_FILES = Math.max(0, Math.floor(Number(process.env.BENCH_OTHER_FILES ?? 0)));

/**
 * The chunks other publications leave in the bucket: as many chunk documents as `files` files of the
 * same size, without their bytes (a query that scans pays per document; the engine keeps them in memory).
 */
async function storeOtherChunks(db: mongoose.mongo.Db, files: number, size: number): Promise<void> {
  const perFile = Math.ceil(size / chunkSizeBytes);
  for (let i = 0; i < files; i += 200) {
    const docs = Array.from({ length: Math.min(200, files - i) }, () => new mongoose.mongo.ObjectId()).flatMap((id) => Array.from({ length: perFile }, (_, n) => ({ files_id: id, n, data: Buffer.alloc(16) })));
    await db.collection('publications.chunks').insertMany(docs);
  }
}

/** The document and its stored file, as a finished publication leaves them in the server's database. */
async function storePublished(mongoUri: string, bytes: Buffer): Promise<string> {
  const client = new mongoose.mongo.MongoClient(mongoUri);
  await client.connect();
  try {
    const db = client.db();
    await storeOtherChunks(db, OTHER_FILES, bytes.length);
    const id = new mongoose.mongo.ObjectId();
    const fileId = new mongoose.mongo.ObjectId();
    const designation = 'СТ СГ 1-2027';
    const publishedAt = new Date('2027-03-01T09:00:00Z');
    const hash = sha256(bytes);
    await new Promise<void>((resolve, reject) => {
      const upload = new mongoose.mongo.GridFSBucket(db, { bucketName: 'publications', chunkSizeBytes }).openUploadStreamWithId(fileId, `${designation}.pdf`, {
        metadata: { document: id, designation, revision: 1, sha256: hash, size: bytes.length, contentType: 'application/pdf' },
      });
      upload.once('finish', () => resolve());
      upload.once('error', reject);
      upload.end(bytes);
    });
    await db.collection('documents').insertOne({
      _id: id,
      titles: { ru: 'Микросхемы интегральные. Общие технические требования', en: 'Integrated circuits. General technical requirements' },
      kind: 'general-technical-requirements', productGroup: 'integrated-circuits', ics: '31.200', developer: 'ОАО «ИНТЕГРАЛ»',
      state: 'published', stage: '60.60', round: 1, currentRevision: 1, rev: 5, history: [], designation,
      publication: { designation, revision: 1, publishedAt, entryIntoForce: { BY: new Date('2027-07-01T00:00:00Z'), RU: new Date('2027-07-01T00:00:00Z') }, fileId, sha256: hash, size: bytes.length },
      supersedes: null, supersededBy: null, withdrawal: null, createdAt: publishedAt, updatedAt: publishedAt,
    });
    return id.toHexString();
  } finally {
    await client.close();
  }
}

async function fetchBytes(url: string): Promise<Buffer> {
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

/**
 * Runs the comparison and prints its table; returns the figures. Starts and stops its own Accord,
 * engine and static server, and touches no database connection of the caller's.
 */
export async function downloadBench(): Promise<DownloadFigures> {
  let accord: AccordInstance | undefined;
  let staticServer: Awaited<ReturnType<typeof startChild>> | undefined;
  let gridfsServer: Awaited<ReturnType<typeof startChild>> | undefined;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'accord-bench-download-'));
  const enginesBefore = new Set(childPids(process.pid, /de\.bwaldvogel/));
  let enginePid: number | undefined;
  try {
    const bytes = await twoMegabytePdf();
    const fileName = 'standard.pdf';
    writeFileSync(path.join(dir, fileName), bytes);

    accord = await startAccord({ database: 'accord_bench_download', env: { NODE_ENV: 'production', LOG_LEVEL: 'warn' } });
    enginePid = childPids(process.pid, /de\.bwaldvogel/).find((pid) => !enginesBefore.has(pid));
    const id = await storePublished(accord.mongoUri, bytes);
    const staticPort = await freePort();
    staticServer = await startChild(path.relative(repoRoot, thisFile), { NODE_ENV: 'production', PORT: String(staticPort), BENCH_STATIC_DIR: dir }, READY, 'express.static (test/bench/download.ts)');

    const gridfsPort = await freePort();
    gridfsServer = await startChild(path.relative(repoRoot, thisFile), { NODE_ENV: 'production', PORT: String(gridfsPort), BENCH_GRIDFS_URI: accord.mongoUri, ...(process.env.BENCH_PROFILE_DIR ? { BENCH_PROFILE_DIR: process.env.BENCH_PROFILE_DIR } : {}) }, READY, 'GridFS streaming (test/bench/download.ts)');

    const accordUrl = `${accord.server.url}/catalogue/${id}/pdf`;
    const gridfsUrl = `http://127.0.0.1:${gridfsPort}/catalogue/${id}/pdf`;
    const staticUrl = `http://127.0.0.1:${staticPort}/${fileName}`;
    const [fromAccord, fromStatic, fromGridfs] = [await fetchBytes(accordUrl), await fetchBytes(staticUrl), await fetchBytes(gridfsUrl)];
    const same = fromAccord.equals(bytes) && fromStatic.equals(bytes) && fromGridfs.equals(bytes);
    console.log(`  the same ${(bytes.length / 1048576).toFixed(2)} MiB file from all three (SHA-256 ${sha256(bytes).slice(0, 16)}…): ${same ? 'yes' : 'NO'}`);
    if (!same) throw new Error('Accord and express.static do not serve the same bytes');

    if (OTHER_FILES) console.log(`  the bucket also holds the chunks of ${OTHER_FILES} other files of that size (BENCH_OTHER_FILES)`);
    console.log(`  load average before: ${loadAverage()}`);
    process.stdout.write(`  measuring in ${TURNS} interleaved turns of ${(DURATION_S / TURNS).toFixed(1)} s per target …\n`);
    const measured = await measureInterleaved([
      { label: 'Accord, memory copy on (as mounted)', url: accordUrl, pids: { server: accord.server.pid, ...(enginePid ? { engine: enginePid } : {}) }, accord: true },
      { label: 'express.static, same file', url: staticUrl, pids: { server: staticServer.pid! }, accord: false },
      { label: 'Accord, memory copy off (GridFS)', url: gridfsUrl, pids: { server: gridfsServer.pid!, ...(enginePid ? { engine: enginePid } : {}) }, accord: true },
    ]);
    const figures = report(measured as [Measured, Measured, Measured], bytes.length);
    const peak = (pid: number | undefined) => (pid === undefined ? '–' : `${peakMemoryMiB(pid).toFixed(0)} MiB`);
    console.log(`  peak resident memory (VmHWM): Accord, memory copy on ${peak(accord.server.pid)}; express.static ${peak(staticServer.pid)}; memory copy off (GridFS) ${peak(gridfsServer.pid)}; engine ${peak(enginePid)}`);
    console.log(`  load average after: ${loadAverage()}`);
    return figures;
  } finally {
    if (staticServer) await stopChild(staticServer);
    if (gridfsServer) await stopChild(gridfsServer);
    await accord?.stop();
    rmSync(dir, { recursive: true, force: true });
    const left = [enginePid, accord?.server.pid, staticServer?.pid, gridfsServer?.pid].filter((pid): pid is number => pid !== undefined && alive(pid));
    if (left.length) console.log(`  processes the download bench started that are still running: ${left.join(', ')}`);
  }
}

/** Prints the table, the ratios by turn and the goal of the streamed row; returns the figures. */
function report([memory, stat, streamed]: [Measured, Measured, Measured], size: number): DownloadFigures {
  const ratio = (m: Measured) => m.rps / stat.rps;
  const cpuText = (m: Measured) => [m.cpu.server, m.cpu.engine, m.cpu['load tool']].map((c) => (c === undefined || Number.isNaN(c) ? '–' : c.toFixed(2))).join(' / ');
  const mbps = (m: Measured) => ((m.rps * size) / 1048576).toFixed(0);
  const rows = [['', 'req/s', 'MiB/s', 'p50 ms', 'p99 ms', 'requests', 'errors', 'non-2xx', 'vs static', 'CPU server/engine/load tool']];
  for (const m of [memory, stat, streamed]) rows.push([m.target.label, m.rps.toFixed(0), mbps(m), String(m.p50), String(m.p99), String(m.total), String(m.errors), String(m.non2xx), m === stat ? '' : `${(ratio(m) * 100).toFixed(0)} %`, cpuText(m)]);
  console.log(`\n${table(rows)}`);
  console.log(`  (Memory copy on: the file from the server's memory, checked against its SHA-256 when read from GridFS. Memory copy`);
  console.log(`   off: every byte from GridFS, in chunks of ${chunkSizeBytes / 1024} KiB. CPU: cores busy on average, 1.00 = one core.)`);
  console.log(`  vs express.static by turn: memory copy on ${ratioByTurn(memory, stat)}; memory copy off ${ratioByTurn(streamed, stat)}`);
  const r = ratio(streamed);
  const clean = streamed.errors + streamed.non2xx === 0 && memory.errors + memory.non2xx === 0;
  console.log(`  goal: memory copy off ≥ ${GOAL_RATIO * 100} % of express.static's requests/s, without errors: ${r >= GOAL_RATIO && clean ? 'meets it' : `MISSES (${(r * 100).toFixed(0)} %, ${streamed.errors + memory.errors} errors, ${streamed.non2xx + memory.non2xx} non-2xx)`}`);
  return { size, static: stat, memory, streamed, ratios: { memory: ratio(memory), streamed: r } };
}

/** The other side of the comparison: express.static over the folder, as a child process. */
function serveStatic(dir: string, port: number): void {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.static(dir, { index: false }));
  const server = app.listen(port, '127.0.0.1', () => console.log(`static listening at http://127.0.0.1:${port}`));
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
}

/** Accord's download route alone, its memory copy off, against the benchmark's database: a child process. */
async function serveFromGridfs(uri: string, port: number): Promise<void> {
  const [{ connectDatabase }, { publishingRoutes }, { mountRoutes }, { errorHandler }, { configureViews }] = await Promise.all([
    import('../../server/db/connect.js'),
    import('../../server/publishing/routes.js'),
    import('../../server/http/route-table.js'),
    import('../../server/http/errors.js'),
    import('../../server/http/views.js'),
  ]);
  await connectDatabase(uri);
  const app = express();
  app.disable('x-powered-by');
  configureViews(app, true);
  mountRoutes(app, publishingRoutes({ publicUrl: 'http://127.0.0.1', downloads: { memoryBytes: 0 }, clock: systemClock, lifecycle: benchSystem().lifecycle }).filter((r) => r.path === '/catalogue/:id/pdf'));
  app.use(errorHandler);
  // BENCH_PROFILE_DIR: this server's CPU profile of the whole run, written there when it stops.
  const profileDir = process.env.BENCH_PROFILE_DIR;
  const { Session } = await import('node:inspector/promises');
  const inspector = profileDir ? new Session() : undefined;
  if (inspector) {
    inspector.connect();
    await inspector.post('Profiler.enable');
    await inspector.post('Profiler.start');
  }
  const server = app.listen(port, '127.0.0.1', () => console.log(`static listening at http://127.0.0.1:${port} (GridFS)`));
  process.once('SIGTERM', () => {
    const written = inspector
      ? inspector.post('Profiler.stop').then(async ({ profile }) => (await import('node:fs')).writeFileSync(path.join(profileDir!, `gridfs-${Date.now()}.cpuprofile`), JSON.stringify(profile)))
      : Promise.resolve();
    void written.finally(() => server.close(() => process.exit(0)));
    server.closeAllConnections();
  });
}

/** Downloads move nothing; the routes still take the lifecycle they would publish with. */
const benchSystem = () => assembleSystem({ mailer: { send: async () => undefined }, publicUrl: 'http://127.0.0.1', secret: 'bench-secret', logger: pino({ level: 'silent' }), clock: systemClock });

async function main(): Promise<void> {
  const cpus = os.cpus();
  console.log('bench:download');
  console.log(`  node ${process.version} on ${os.type()} ${os.release()} ${os.arch()}`);
  console.log(`  ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM`);
  console.log(`  autocannon: ${CONNECTIONS} connections, ${WARMUP_S} s warm-up then ${DURATION_S} s per target`);
  await downloadBench();
}

if (process.env.BENCH_STATIC_DIR) {
  serveStatic(process.env.BENCH_STATIC_DIR, Number(process.env.PORT));
} else if (process.env.BENCH_GRIDFS_URI) {
  void serveFromGridfs(process.env.BENCH_GRIDFS_URI, Number(process.env.PORT));
} else if (process.argv[1] && path.resolve(process.argv[1]) === thisFile) {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err instanceof Error ? err.stack : err);
      process.exit(1);
    },
  );
}
