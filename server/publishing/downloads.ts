// Public downloads of published PDFs: the stored bytes, never re-rendered, with validators, conditional
// GET, preconditions (If-Match, If-Unmodified-Since), one byte range per request and long immutable
// caching. Only documents with a publication record are served; anything else — a draft, an unknown or
// malformed id — is "not found".
//
// A publication never changes once made (withdrawal and supersession add to the document, they do not
// touch its publication record or file), so what was once looked up may be kept: the server remembers
// the publication record of each downloaded document, and the bytes of recently downloaded files up to
// a memory budget. Both are copies of immutable data, so several instances never disagree. A file not
// kept in memory is streamed from GridFS chunk by chunk (chunks.ts), each written as it arrives.
import type { Request, Response } from 'express';
import { mongoose } from '../db/mongoose.js';
import { editionsOf, getDocument } from '../documents/index.js';
import { AppError, NotFound } from '../errors.js';
import { contentDisposition } from '../http/attachment.js';
import { answerFor, type FileAnswer, type Validators } from './http-file.js';
import type { ChunkLayout } from './chunks.js';
import { openStoredFile, readStoredFile, sha256Of, storedFile } from './storage.js';
import { drained } from '../common/drained.js';

export class RangeNotSatisfiable extends AppError {
  override readonly status: number = 416;
}
export class PreconditionFailed extends AppError {
  override readonly status: number = 412;
}

export interface PublishedFile {
  fileId: mongoose.Types.ObjectId;
  sha256: string;
  size: number;
  designation: string;
  publishedAt: Date;
  /** When this record was read: the newest edition's record is read again after RECORD_TTL_MS. */
  readAt?: number;
}

/**
 * How long the record of a document's current file is trusted: a consolidated edition (docs/amendments.md)
 * moves the document to a new file, and every instance serves it within this time. An earlier edition's
 * record never changes and is kept as long as there is room.
 */
const RECORD_TTL_MS = 5_000;

export interface DownloadOptions {
  /** Bytes of files kept in memory (least recently used go first); 0 streams every download from GridFS. */
  memoryBytes?: number;
  /** Files larger than this are always streamed from GridFS. */
  largestCached?: number;
}

const isObjectId = (s: string) => /^[0-9a-f]{24}$/i.test(s);

/** A map that forgets its least recently used entries beyond a budget. */
class Lru<V> {
  private readonly map = new Map<string, { value: V; cost: number }>();
  private total = 0;
  constructor(private readonly budget: number) {}
  get(key: string): V | undefined {
    const e = this.map.get(key);
    if (!e) return undefined;
    this.map.delete(key);
    this.map.set(key, e);
    return e.value;
  }
  set(key: string, value: V, cost: number): void {
    if (cost > this.budget) return;
    const old = this.map.get(key);
    if (old) this.total -= old.cost;
    this.map.delete(key);
    this.map.set(key, { value, cost });
    this.total += cost;
    for (const [k, e] of this.map) {
      if (this.total <= this.budget) break;
      this.map.delete(k);
      this.total -= e.cost;
    }
  }
}

/**
 * What this server remembers of publications: the record of each downloaded document, and the bytes
 * of recently downloaded files up to the memory budget (read from GridFS, checked against their hash).
 */
class PublishedFiles {
  private readonly records = new Lru<PublishedFile>(20_000);
  private readonly layouts = new Lru<ChunkLayout>(20_000);
  private readonly bytes: Lru<Buffer>;
  private readonly loading = new Map<string, Promise<Buffer>>();

  constructor(private readonly memoryBytes: number, private readonly largestCached: number) {
    this.bytes = new Lru<Buffer>(memoryBytes);
  }

  /** The document's published file (its newest edition, or edition `edition`, 1 the first); "not found" for anything without one. */
  async find(id: string, edition?: number): Promise<PublishedFile> {
    if (!isObjectId(id)) throw new NotFound('publishing.notFound');
    const key = edition ? `${id}#${edition}` : id;
    const known = this.records.get(key);
    if (known && (edition || Date.now() - (known.readAt ?? 0) < RECORD_TTL_MS)) return known;
    const doc = await getDocument(undefined, id).catch((err) => {
      throw err instanceof NotFound ? new NotFound('publishing.notFound') : err;
    });
    const p = doc.publication;
    if (!p?.fileId || !p.sha256) throw new NotFound('publishing.notFound');
    let file: PublishedFile = { fileId: p.fileId, sha256: p.sha256, size: p.size, designation: p.designation, publishedAt: p.publishedAt, readAt: Date.now() };
    if (edition) {
      const e = editionsOf(doc)[edition - 1];
      if (!e) throw new NotFound('publishing.notFound');
      file = { fileId: e.fileId, sha256: e.sha256, size: e.size, designation: p.designation, publishedAt: e.publishedAt };
    }
    this.records.set(key, file, 1);
    return file;
  }

  /** How the file lies in GridFS (its chunk size), read from its file entry on first need. */
  async layout(file: PublishedFile): Promise<ChunkLayout> {
    const key = String(file.fileId);
    const known = this.layouts.get(key);
    if (known) return known;
    const stored = await storedFile(file.fileId);
    if (!stored) throw new Error(`stored file ${key} of a publication is not found`);
    const layout: ChunkLayout = { _id: stored._id, length: stored.length, chunkSize: stored.chunkSize };
    this.layouts.set(key, layout, 1);
    return layout;
  }

  /** The whole file from memory, read from GridFS (and checked against its hash) on first need. */
  async cachedBytes(file: PublishedFile): Promise<Buffer | undefined> {
    if (this.memoryBytes <= 0 || file.size > Math.min(this.largestCached, this.memoryBytes)) return undefined;
    const key = String(file.fileId);
    const hit = this.bytes.get(key);
    if (hit) return hit;
    let load = this.loading.get(key);
    if (!load) {
      load = this.layout(file).then(readStoredFile).then((b) => {
        if (sha256Of(b) !== file.sha256) throw new Error(`stored file ${key} does not match its SHA-256`);
        this.bytes.set(key, b, b.length);
        return b;
      });
      this.loading.set(key, load);
      void load.finally(() => this.loading.delete(key)).catch(() => undefined);
    }
    return load;
  }
}

/** What is sent: the whole file or one byte range of it. */
type Sent = Extract<FileAnswer, { kind: 'whole' | 'part' }>;
type Part = Extract<FileAnswer, { kind: 'part' }>;

export function downloadHandler(opts: DownloadOptions = {}) {
  const files = new PublishedFiles(opts.memoryBytes ?? 64 * 1024 * 1024, opts.largestCached ?? 16 * 1024 * 1024);

  return async function download(req: Request, res: Response): Promise<void> {
    const edition = req.params.edition === undefined ? undefined : /^[1-9]\d{0,3}$/.test(String(req.params.edition)) ? Number(req.params.edition) : 0;
    if (edition === 0) throw new NotFound('publishing.notFound');
    const file = await files.find(String(req.params.id), edition);
    const answer = answerPreconditions(req, res, file, edition !== undefined);
    if (answer === 'notModified') {
      res.status(304).end();
      return;
    }
    const part = answer.kind === 'part' ? answer : undefined;
    res.status(part ? 206 : 200);
    res.set({
      'Content-Type': 'application/pdf',
      'Content-Disposition': contentDisposition(`${file.designation}.pdf`),
      'Content-Length': String(part ? part.end - part.start + 1 : file.size),
    });
    if (part) res.set('Content-Range', `bytes ${part.start}-${part.end}/${file.size}`);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    await sendBytes(res, files, file, part);
  };
}

/**
 * Sets the validators and caching headers, and answers the request's preconditions and Range: a failed
 * precondition or a range outside the file is thrown (412, 416), a current copy is 'notModified'.
 */
function answerPreconditions(req: Request, res: Response, file: PublishedFile, edition: boolean): 'notModified' | Sent {
  const v: Validators = { etag: `"${file.sha256}"`, lastModified: file.publishedAt };
  res.set({
    ETag: v.etag,
    'Last-Modified': v.lastModified.toUTCString(),
    // An edition's file never changes; the standard's own address gives its newest edition, which an
    // amendment replaces (docs/amendments.md): kept by caches, but asked for again (a 304 by its ETag).
    'Cache-Control': edition ? 'public, max-age=31536000, immutable' : 'public, no-cache',
    'Accept-Ranges': 'bytes',
  });
  const answer = answerFor(req.headers, v, file.size);
  if (answer.kind === 'notModified') return 'notModified';
  if (answer.kind === 'preconditionFailed' || answer.kind === 'unsatisfiable') {
    res.removeHeader('Cache-Control');
    if (answer.kind === 'preconditionFailed') throw new PreconditionFailed('publishing.preconditionFailed');
    res.set('Content-Range', `bytes */${file.size}`);
    throw new RangeNotSatisfiable('publishing.rangeOutside', { size: file.size });
  }
  return answer;
}

/** The bytes (or the part asked for): from memory when the file is kept there, else streamed from GridFS. */
async function sendBytes(res: Response, files: PublishedFiles, file: PublishedFile, part: Part | undefined): Promise<void> {
  const whole = await files.cachedBytes(file);
  if (whole) {
    res.end(part ? whole.subarray(part.start, part.end + 1) : whole);
    return;
  }
  // A reader who leaves (the response closes before it is finished) stops the reading at once.
  const stop = new AbortController();
  const leave = () => stop.abort();
  res.once('close', leave);
  if (res.destroyed) leave();
  try {
    await writeChunks(res, openStoredFile(await files.layout(file), part, stop.signal));
  } catch (err) {
    // Once bytes have gone out there is no error page to send; a reader who left is not an error.
    if (!res.headersSent) throw err;
    res.destroy();
  } finally {
    res.off('close', leave);
  }
}

/**
 * Writes each chunk as it comes, with back-pressure: the next one is not taken (the reader asks for
 * READ_AHEAD_BYTES ahead, no further; chunks.ts) while the response's buffer is full. A reader who
 * leaves stops the reading.
 */
async function writeChunks(res: Response, parts: AsyncGenerator<Buffer>): Promise<void> {
  for await (const part of parts) {
    if (res.destroyed) return;
    if (!res.write(part)) await drained(res);
  }
  if (!res.destroyed) res.end();
}
