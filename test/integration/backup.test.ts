import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { mongoose } from '../../server/db/mongoose.js';
import { defaultEngineCacheDir, startEngine, type RunningEngine } from '../../server/db/engine.js';
import { backupDatabase, BackupError, storedFileHashes } from '../../server/db/backup.js';
import { testEnv } from '../helpers/env.js';
import { runCommand } from '../helpers/server.js';

const { EJSON } = mongoose.mongo.BSON;

const command = (script: string, args: string[], uri: string) => runCommand(script, args, { NODE_ENV: 'test', MONGODB_URI: uri, PUBLIC_URL: 'http://accord.test' });

/** Every collection of a database as canonical Extended JSON in _id order, with its index definitions. */
async function contentsOf(db: mongoose.mongo.Db): Promise<Record<string, { docs: string[]; indexes: string[] }>> {
  const out: Record<string, { docs: string[]; indexes: string[] }> = {};
  for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) {
    if (name.startsWith('system.')) continue;
    const docs = (await db.collection(name).find({}).sort({ _id: 1 }).toArray()).map((d) => EJSON.stringify(d, { relaxed: false }));
    const indexes = (await db.collection(name).listIndexes().toArray()).map(({ v: _v, ns: _ns, ...i }) => JSON.stringify(i)).sort();
    out[name] = { docs, indexes };
  }
  return out;
}

describe('backup and restore (npm run backup / npm run restore)', function () {
  this.timeout(240_000);
  const database = `accord_backup_${process.pid}`;
  const sourceUri = () => testEnv().mongoUri.replace(/\/[^/?]*(\?|$)/, `/${database}$1`);
  const archive = () => path.join(testEnv().tmpDir, 'installation.accord-backup.gz');
  let source: mongoose.Connection;
  let fresh: RunningEngine;
  let target: mongoose.mongo.MongoClient;
  const pdf = randomBytes(700_000);

  before(async () => {
    // A populated installation: the demo data through its own command, and a published file in storage.
    const demo = await command('server/cli/demo.ts', [], sourceUri());
    assert.equal(demo.code, 0, demo.err);
    source = await mongoose.createConnection(sourceUri()).asPromise();
    const bucket = new mongoose.mongo.GridFSBucket(source.db!, { bucketName: 'publications' });
    await new Promise<void>((resolve, reject) => {
      bucket.openUploadStream('standard.pdf', { metadata: { sha256: createHash('sha256').update(pdf).digest('hex') } }).once('finish', () => resolve()).once('error', reject).end(pdf);
    });
    fresh = await startEngine({ backend: 'memory', port: 0, cacheDir: defaultEngineCacheDir() });
    target = await new mongoose.mongo.MongoClient(`${fresh.uri}/accord`).connect();
  });

  after(async () => {
    await target?.close();
    await fresh?.stop();
    await source?.dropDatabase().catch(() => undefined);
    await source?.close();
    await rm(archive(), { force: true });
  });

  it('writes an archive of everything and restores it into a fresh engine: every collection, index and stored file the same', async () => {
    const backup = await command('server/cli/backup.ts', [archive()], sourceUri());
    assert.equal(backup.code, 0, backup.err);
    assert.match(backup.out, /backup written to .*: \d+ collections, \d+ documents, 1 stored files/);
    assert.ok((await stat(archive())).size > 100_000);

    const restore = await command('server/cli/restore.ts', [archive()], `${fresh.uri}/accord`);
    assert.equal(restore.code, 0, restore.err);
    assert.match(restore.out, /restored \d+ collections, \d+ documents and 1 stored files \(every hash checked\)/);

    const before = await contentsOf(source.db!);
    const after = await contentsOf(target.db());
    assert.deepEqual(Object.keys(after).sort(), Object.keys(before).sort());
    for (const name of Object.keys(before)) {
      assert.equal(after[name]!.docs.length, before[name]!.docs.length, `${name}: document count`);
      assert.deepEqual(after[name]!.docs, before[name]!.docs, `${name}: documents`);
      assert.deepEqual(after[name]!.indexes, before[name]!.indexes, `${name}: indexes`);
    }
    assert.ok(before.users!.docs.length >= 10 && before.revisions!.docs.length >= 5, 'the demo installation was archived');
    const hashes = await storedFileHashes(target.db());
    assert.deepEqual(hashes.map((h) => h.sha256), [createHash('sha256').update(pdf).digest('hex')]);
    assert.deepEqual(hashes, await storedFileHashes(source.db!));
  });

  it('refuses to restore into a database that holds anything, and changes nothing there', async () => {
    const before = await contentsOf(target.db());
    const again = await command('server/cli/restore.ts', [archive()], `${fresh.uri}/accord`);
    assert.equal(again.code, 1);
    assert.match(again.err, /restore refused: the database accord is not empty \(\d+ collections\); restore into an empty one, or pass --replace/);
    assert.deepEqual(await contentsOf(target.db()), before);
  });

  it('refuses a damaged or unfinished archive before writing anything', async () => {
    const bytes = await readFile(archive());
    const cut = path.join(testEnv().tmpDir, 'cut.accord-backup.gz');
    const notOurs = path.join(testEnv().tmpDir, 'other.gz');
    await writeFile(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await writeFile(notOurs, 'this is not a backup');
    const empty = `${fresh.uri}/accord_empty`;
    for (const [file, message] of [[cut, /restore refused: the archive (cannot be read|is incomplete)/], [notOurs, /restore refused: the archive cannot be read .*not an Accord backup, or damaged/]] as const) {
      const r = await command('server/cli/restore.ts', [file], empty);
      assert.equal(r.code, 1, r.out);
      assert.match(r.err, message);
    }
    assert.deepEqual(await target.db('accord_empty').listCollections().toArray(), []);
  });

  it('never writes an archive of a database that keeps changing while it is read', async () => {
    const file = path.join(testEnv().tmpDir, 'moving.accord-backup.gz');
    let writing = true;
    await source.db!.collection('moving').insertOne({ n: -1 });
    const writes = (async () => {
      for (let i = 0; writing; i++) await source.db!.collection('moving').insertOne({ n: i });
    })();
    try {
      await assert.rejects(backupDatabase(source.db!, file, { attempts: 2 }), (err: Error) => err instanceof BackupError && /changed during each of 2 attempts/.test(err.message));
    } finally {
      writing = false;
      await writes;
      await source.db!.collection('moving').drop();
    }
    await assert.rejects(stat(file), /ENOENT/);
    await assert.rejects(stat(`${file}.partial`), /ENOENT/);
  });

  it('says plainly when the archive is missing or cannot be written, and writes nothing', async () => {
    const missing = await command('server/cli/restore.ts', [path.join(testEnv().tmpDir, 'no-such.accord-backup.gz')], `${fresh.uri}/accord_missing`);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /^restore refused: there is no archive at .*no-such\.accord-backup\.gz$/m);
    const nowhere = await command('server/cli/backup.ts', ['/nonexistent-folder/x.accord-backup.gz'], sourceUri());
    assert.equal(nowhere.code, 1);
    assert.match(nowhere.err, /^backup failed: cannot write into \/nonexistent-folder: the folder does not exist or is not writable$/m);
    const folder = await command('server/cli/backup.ts', [testEnv().tmpDir], sourceUri());
    assert.equal(folder.code, 1);
    assert.match(folder.err, /is a folder; name the archive file/);
    const usage = await command('server/cli/backup.ts', [], sourceUri());
    assert.equal(usage.code, 2);
    assert.match(usage.err, /usage: npm run backup -- FILE/);
  });

  it('replaces what a database holds only when told to', async () => {
    await target.db().collection('users').deleteMany({});
    const r = await command('server/cli/restore.ts', [archive(), '--replace'], `${fresh.uri}/accord`);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(await contentsOf(target.db()), await contentsOf(source.db!));
  });
});
