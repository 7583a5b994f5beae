// Backup and restore of a whole installation (docs/operations.md, "Backups").
//
// The archive is one gzip file of newline-delimited JSON: a header line, then per collection a line with
// its name and index definitions, one line per document in canonical Extended JSON (types kept: ObjectId,
// dates, binary chunks of stored files, 64-bit numbers), and a line closing the collection with its count
// and a SHA-256 of its lines; a trailer line lists every stored file with its SHA-256 and says the archive
// is complete. Any MongoDB-compatible server reads and writes it, the embedded engine as well as MongoDB.
//
// Consistency without transactions (the embedded engine has none: docs/engine.md): every collection is
// written in _id order, then read again in the same order and hashed; if every collection still hashes as
// written, each one held exactly the archived content at the moment the first pass ended, so the archive
// is an image of that one moment. If something changed meanwhile the backup starts over (a few times), and
// says so if the database never held still.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { constants } from 'node:fs';
import { access, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { mongoose } from './mongoose.js';

type Db = mongoose.mongo.Db;
const { EJSON } = mongoose.mongo.BSON;

export const BACKUP_FORMAT = 1;

export class BackupError extends Error {}

export interface StoredFileHash {
  bucket: string;
  id: string;
  sha256: string;
  length: number;
}

export interface BackupSummary {
  collections: { name: string; count: number }[];
  documents: number;
  files: StoredFileHash[];
  bytes: number;
  attempts: number;
}

interface IndexSpec {
  name: string;
  key: Record<string, unknown>;
  [option: string]: unknown;
}

async function collectionNames(db: Db): Promise<string[]> {
  const all = await db.listCollections({}, { nameOnly: true }).toArray();
  return all.map((c) => c.name).filter((n) => !n.startsWith('system.')).sort();
}

async function indexesOf(db: Db, name: string): Promise<IndexSpec[]> {
  const list = (await db.collection(name).listIndexes().toArray()) as IndexSpec[];
  return list.filter((i) => i.name !== '_id_').map(({ v: _v, ns: _ns, ...spec }) => spec as IndexSpec);
}

/** Each document of the collection in _id order, as the line the archive holds. */
async function* linesOf(db: Db, name: string): AsyncGenerator<string> {
  for await (const doc of db.collection(name).find({}).sort({ _id: 1 })) yield EJSON.stringify(doc, { relaxed: false });
}

async function writeLine(out: Writable, line: string): Promise<void> {
  if (!out.write(`${line}\n`)) await once(out, 'drain');
}

/** Re-reads a collection and says whether it still hashes as archived. */
async function unchanged(db: Db, name: string, sha256: string): Promise<boolean> {
  const h = createHash('sha256');
  for await (const line of linesOf(db, name)) h.update(line).update('\n');
  return h.digest('hex') === sha256;
}

/** The stored files of every GridFS bucket (collections `<bucket>.files` and `<bucket>.chunks`), hashed from their chunks. */
export async function storedFileHashes(db: Db): Promise<StoredFileHash[]> {
  const buckets = (await collectionNames(db)).filter((n) => n.endsWith('.files')).map((n) => n.slice(0, -'.files'.length));
  const out: StoredFileHash[] = [];
  for (const bucket of buckets) {
    for await (const f of db.collection(`${bucket}.files`).find({}).sort({ _id: 1 })) {
      const h = createHash('sha256');
      let length = 0;
      for await (const c of db.collection(`${bucket}.chunks`).find({ files_id: f._id }).sort({ n: 1 })) {
        const bytes = (c.data as mongoose.mongo.Binary).buffer;
        h.update(bytes);
        length += bytes.length;
      }
      out.push({ bucket, id: String(f._id), sha256: h.digest('hex'), length });
    }
  }
  return out;
}

async function writeArchive(db: Db, file: string): Promise<{ summary: Omit<BackupSummary, 'bytes' | 'attempts'>; hashes: Map<string, string> }> {
  const gzip = createGzip({ level: 6 });
  const sink = createWriteStream(file);
  gzip.pipe(sink);
  const names = await collectionNames(db);
  await writeLine(gzip, JSON.stringify({ accord: 'backup', format: BACKUP_FORMAT, database: db.databaseName, collections: names }));
  const hashes = new Map<string, string>();
  const collections: BackupSummary['collections'] = [];
  for (const name of names) {
    await writeLine(gzip, JSON.stringify({ collection: name, indexes: await indexesOf(db, name) }));
    const h: Hash = createHash('sha256');
    let count = 0;
    for await (const line of linesOf(db, name)) {
      h.update(line).update('\n');
      await writeLine(gzip, `{"d":${line}}`);
      count++;
    }
    const sha256 = h.digest('hex');
    hashes.set(name, sha256);
    collections.push({ name, count });
    await writeLine(gzip, JSON.stringify({ end: name, count, sha256 }));
  }
  const files = await storedFileHashes(db);
  await writeLine(gzip, JSON.stringify({ files, complete: true }));
  gzip.end();
  await finished(sink);
  return { summary: { collections, documents: collections.reduce((s, c) => s + c.count, 0), files }, hashes };
}

/** Writes a consistent archive of the database to `file` (written beside it first, then renamed into place). */
export async function backupDatabase(db: Db, file: string, opts: { attempts?: number } = {}): Promise<BackupSummary> {
  const attempts = opts.attempts ?? 5;
  const partial = `${file}.partial`;
  const folder = path.dirname(file);
  await access(folder, constants.W_OK).catch(() => {
    throw new BackupError(`cannot write into ${folder}: the folder does not exist or is not writable`);
  });
  if (await stat(file).then((s) => s.isDirectory(), () => false)) throw new BackupError(`${file} is a folder; name the archive file`);
  try {
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const { summary, hashes } = await writeArchive(db, partial);
      // A collection made or dropped meanwhile is a change too.
      let still = (await collectionNames(db)).join('\n') === [...hashes.keys()].join('\n');
      for (const [name, sha256] of hashes) if (!(await unchanged(db, name, sha256))) still = false;
      if (!still) continue;
      await rename(partial, file);
      const { size } = await stat(file);
      return { ...summary, bytes: size, attempts: attempt };
    }
    throw new BackupError(`the database changed during each of ${attempts} attempts; run the backup when fewer writes happen, or use mongodump on a replica set (docs/operations.md)`);
  } finally {
    await rm(partial, { force: true });
  }
}

interface ParsedCollection {
  name: string;
  indexes: IndexSpec[];
  count: number;
  sha256: string;
}

/** Every line of the archive as parsed JSON; a damaged archive fails with a message saying where. */
async function* archiveLines(file: string): AsyncGenerator<Record<string, unknown>> {
  const raw = createReadStream(file);
  const gunzip = createGunzip();
  // pipe() does not pass a read error on: without this a missing or unreadable file would go unheard.
  raw.on('error', (err) => gunzip.destroy(err));
  const lines = createInterface({ input: raw.pipe(gunzip), crlfDelay: Infinity });
  let n = 0;
  try {
    for await (const line of lines) {
      n++;
      if (!line) continue;
      try {
        yield JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new BackupError(`line ${n} of the archive is not JSON`);
      }
    }
  } catch (err) {
    if (err instanceof BackupError) throw err;
    throw new BackupError(`the archive cannot be read (${(err as Error).message}): not an Accord backup, or damaged`);
  }
}

/** Reads the whole archive once and checks it before anything is written: counts, hashes, the trailer. */
async function checkArchive(file: string): Promise<{ collections: ParsedCollection[]; files: StoredFileHash[] }> {
  let header = false;
  let current: { name: string; indexes: IndexSpec[]; hash: Hash; count: number } | undefined;
  const collections: ParsedCollection[] = [];
  let files: StoredFileHash[] | undefined;
  for await (const entry of archiveLines(file)) {
    if (!header) {
      if (entry.accord !== 'backup') throw new BackupError('not an Accord backup (no header)');
      if (entry.format !== BACKUP_FORMAT) throw new BackupError(`backup format ${String(entry.format)} is not known to this version (it reads ${BACKUP_FORMAT})`);
      header = true;
    } else if (typeof entry.collection === 'string') {
      current = { name: entry.collection, indexes: (entry.indexes ?? []) as IndexSpec[], hash: createHash('sha256'), count: 0 };
    } else if ('d' in entry && current) {
      // The line as written: canonical Extended JSON is plain JSON, so it reads and writes back the same.
      current.hash.update(JSON.stringify(entry.d)).update('\n');
      current.count++;
    } else if (typeof entry.end === 'string' && current && entry.end === current.name) {
      const sha256 = current.hash.digest('hex');
      if (entry.count !== current.count || entry.sha256 !== sha256) throw new BackupError(`collection ${current.name} in the archive is damaged (its count or hash does not match)`);
      collections.push({ name: current.name, indexes: current.indexes, count: current.count, sha256 });
      current = undefined;
    } else if (entry.complete === true) {
      files = (entry.files ?? []) as StoredFileHash[];
    } else {
      throw new BackupError('the archive has a line out of place: damaged');
    }
  }
  if (!header) throw new BackupError('the archive is empty');
  if (!files) throw new BackupError('the archive is incomplete (no trailer): the backup did not finish');
  return { collections, files };
}

export interface RestoreSummary {
  collections: { name: string; count: number }[];
  documents: number;
  files: number;
}

/**
 * Loads an archive into an empty database: checked whole first, then written collection by collection
 * with its indexes, then every stored file is hashed again against the archive. A non-empty database is
 * refused unless `replace` is given (its collections are dropped first). If anything fails after writing
 * began, what was written is dropped again, so the database is left as empty as it was.
 */
export async function restoreDatabase(db: Db, file: string, opts: { replace?: boolean } = {}): Promise<RestoreSummary> {
  if (!(await stat(file).then((s) => s.isFile(), () => false))) throw new BackupError(`there is no archive at ${file}`);
  const checked = await checkArchive(file);
  const existing = await collectionNames(db);
  if (existing.length && !opts.replace) {
    throw new BackupError(`the database ${db.databaseName} is not empty (${existing.length} collections); restore into an empty one, or pass --replace to drop what is there`);
  }
  for (const name of existing) await db.collection(name).drop();
  try {
    let current: mongoose.mongo.Collection | undefined;
    let batch: mongoose.mongo.Document[] = [];
    const flush = async () => {
      if (current && batch.length) await current.insertMany(batch, { ordered: true });
      batch = [];
    };
    for await (const entry of archiveLines(file)) {
      if (typeof entry.collection === 'string') {
        await flush();
        current = db.collection(entry.collection);
        await db.createCollection(entry.collection).catch(() => undefined);
        const indexes = (entry.indexes ?? []) as IndexSpec[];
        if (indexes.length) await current.createIndexes(indexes as mongoose.mongo.IndexDescription[]);
      } else if ('d' in entry) {
        batch.push(EJSON.deserialize(entry.d as mongoose.mongo.Document, { relaxed: false }));
        if (batch.length >= 1000) await flush();
      } else if (typeof entry.end === 'string') {
        await flush();
      }
    }
    await flush();
    const hashes = new Map((await storedFileHashes(db)).map((f) => [`${f.bucket}/${f.id}`, f.sha256]));
    for (const f of checked.files) {
      if (hashes.get(`${f.bucket}/${f.id}`) !== f.sha256) throw new BackupError(`stored file ${f.bucket}/${f.id} does not hash as archived after the restore`);
    }
  } catch (err) {
    for (const name of await collectionNames(db)) await db.collection(name).drop().catch(() => undefined);
    throw err;
  }
  return { collections: checked.collections.map(({ name, count }) => ({ name, count })), documents: checked.collections.reduce((s, c) => s + c.count, 0), files: checked.files.length };
}
