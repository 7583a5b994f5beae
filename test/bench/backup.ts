// bench:backup — how long `npm run backup` and `npm run restore` take and how big the archive is: for the
// demo installation, then with its documents copied up to 10 000 (each with its revisions). The commands
// run as a person runs them, against an engine of the bench's own (MONGODB_URI).
//
//   tsx test/bench/backup.ts        BENCH_DOCUMENTS=10000 by default
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mongoose } from '../../server/db/mongoose.js';
import { defaultEngineCacheDir, startEngine } from '../../server/db/engine.js';
import { childEnv, repoRoot } from '../helpers/server.js';
import { runBench, table } from './tools.js';

const DOCUMENTS = Number(process.env.BENCH_DOCUMENTS ?? 10_000);

async function timed(script: string, args: string[], uri: string): Promise<number> {
  const started = performance.now();
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: repoRoot, env: childEnv({ MONGODB_URI: uri, LOG_LEVEL: 'warn' }), stdio: ['ignore', 'ignore', 'inherit'] });
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`${script} ${args.join(' ')} exited with ${code}`);
  return performance.now() - started;
}

/** Copies the demo's documents with their revisions, under new ids, until there are `n` documents. */
async function growTo(db: mongoose.mongo.Db, n: number): Promise<void> {
  const docs = await db.collection('documents').find({}).toArray();
  const revisions = await db.collection('revisions').find({}).toArray();
  for (let have = docs.length; have < n; ) {
    const batchDocs: mongoose.mongo.Document[] = [];
    const batchRevs: mongoose.mongo.Document[] = [];
    for (const d of docs) {
      if (have >= n) break;
      const id = new mongoose.Types.ObjectId();
      batchDocs.push({ ...d, _id: id, titles: { ru: `${d.titles.ru} (${have})`, en: `${d.titles.en} (${have})` } });
      for (const r of revisions.filter((x) => String(x.document) === String(d._id))) batchRevs.push({ ...r, _id: new mongoose.Types.ObjectId(), document: id });
      have++;
    }
    await db.collection('documents').insertMany(batchDocs);
    if (batchRevs.length) await db.collection('revisions').insertMany(batchRevs);
  }
}

async function main(): Promise<void> {
  console.log('bench:backup');
  console.log(`  load average before: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const engine = await startEngine({ backend: 'memory', port: 0, cacheDir: defaultEngineCacheDir() });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'accord-bench-backup-'));
  const client = await new mongoose.mongo.MongoClient(engine.uri).connect();
  try {
    const source = `${engine.uri}/accord`;
    await timed('server/cli/demo.ts', [], source);
    const rows = [['installation', 'documents', 'revisions', 'backup s', 'archive MiB', 'restore s']];
    for (const [label, grow] of [['demo data', 0], [`${DOCUMENTS} documents`, DOCUMENTS]] as const) {
      if (grow) await growTo(client.db('accord'), grow);
      const file = path.join(dir, `${grow}.accord-backup.gz`);
      const backupMs = await timed('server/cli/backup.ts', [file], source);
      const size = (await stat(file)).size;
      const target = `${engine.uri}/restored_${grow}`;
      const restoreMs = await timed('server/cli/restore.ts', [file], target);
      const count = (name: string) => client.db('accord').collection(name).countDocuments({});
      rows.push([label, String(await count('documents')), String(await count('revisions')), (backupMs / 1000).toFixed(1), (size / 2 ** 20).toFixed(1), (restoreMs / 1000).toFixed(1)]);
      await client.db(`restored_${grow}`).dropDatabase();
    }
    console.log(table(rows));
    console.log('  (each time includes starting the command: about a second of Node and tsx)');
    console.log(`  load average after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  } finally {
    await client.close();
    await engine.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

runBench(main);
