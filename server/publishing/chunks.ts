// Reading a stored file (storage.ts) chunk by chunk, straight from the bucket's chunks collection. Each
// chunk is asked for by its key (files_id, n), the bucket's unique index: the embedded engine looks
// that up in the index, where a query for all the chunks of a file (what GridFSBucket's download
// stream sends) scans every chunk of every file (measured; docs/engine.md, "What it does not do").
//
// A chunk comes back as the raw BSON of its document ({ data }, by the projection) and its bytes are
// handed over as a view of that reply: never deserialised, never copied. While one chunk is being
// written out, the next ones (READ_AHEAD_BYTES of them) are on their way; a reader that is told to stop
// asks for no more. Files of any chunk size read alike (the size is in the file entry).
import type { mongo, Types } from 'mongoose';
import { mongoose } from '../db/mongoose.js';

/** The layout of a stored file: what reading it by chunks needs. */
export interface ChunkLayout {
  _id: Types.ObjectId;
  length: number;
  chunkSize: number;
}

/** Bytes [start, end] of a file, both inclusive. */
export interface ByteRange {
  start: number;
  end: number;
}

/** A bucket's chunks collection, as this reads it. */
export type Chunks = mongo.Collection<{ files_id: Types.ObjectId; n: number; data: Buffer }>;

/**
 * How many bytes of a file are asked for ahead of the chunk being handed over: one chunk of today's
 * 1 MiB (storage.ts), four of the 255 KiB that older files have, and always at least one, so that the
 * database answers while the caller writes. A slow reader holds at most this and one chunk. (2 MiB
 * ahead was measured too: no fewer CPU milliseconds per download, a higher peak of memory.)
 */
export const READ_AHEAD_BYTES = 1024 * 1024;

/** The size chunk n must have: chunkSize, or what is left of the file for the last one. */
const expectedSize = (file: ChunkLayout, n: number) => Math.min(file.chunkSize, file.length - n * file.chunkSize);

/**
 * The bytes of a chunk document's `data`, as a view of its raw BSON. The projection leaves the document
 * as exactly { data: BinData(0, …) } — int32 size, 0x05 "data" 0x00, int32 length, subtype 0, the bytes,
 * 0x00 — which is read in place; any other shape (an old subtype, a field more) is deserialised.
 */
export function dataOfRawChunk(doc: Buffer): Buffer | undefined {
  const HEAD = 15;
  if (doc.length >= HEAD + 1 && doc.readInt32LE(0) === doc.length && doc[4] === 0x05 && doc.toString('latin1', 5, 10) === 'data\0' && doc[14] === 0x00) {
    const length = doc.readInt32LE(10);
    if (HEAD + length + 1 === doc.length && doc[HEAD + length] === 0x00) return doc.subarray(HEAD, HEAD + length);
  }
  const data: unknown = mongoose.mongo.BSON.deserialize(doc, { promoteBuffers: true }).data;
  return Buffer.isBuffer(data) ? data : undefined;
}

/** Chunk n of the file, checked for its size; an error when it is missing or of another size. */
async function chunk(chunks: Chunks, file: ChunkLayout, n: number): Promise<Buffer> {
  // raw: the driver hands back the document's BSON, a view of its reply (typed as the document).
  const doc = (await chunks.findOne({ files_id: file._id, n }, { projection: { _id: 0, data: 1 }, raw: true })) as unknown as Buffer | null;
  if (!doc) throw new Error(`chunk ${n} of stored file ${file._id} is missing`);
  const data = dataOfRawChunk(doc);
  if (!data) throw new Error(`chunk ${n} of stored file ${file._id} has no bytes`);
  if (data.length !== expectedSize(file, n)) throw new Error(`chunk ${n} of stored file ${file._id} has ${data.length} bytes, not ${expectedSize(file, n)}`);
  return data;
}

/** Asked for now, awaited later: a failure is kept for the await, never reported as unhandled. */
function ahead(chunks: Chunks, file: ChunkLayout, n: number): Promise<Buffer> {
  const p = chunk(chunks, file, n);
  p.catch(() => undefined);
  return p;
}

/**
 * The bytes of the range (all of the file by default), in order, as views of the chunks that hold it.
 * Before a chunk is handed over, the chunks within READ_AHEAD_BYTES after it are asked for. Once `stop`
 * is aborted (the reader has gone) no chunk is asked for any more and nothing more is handed over; the
 * reads already on their way end on their own.
 */
export async function* fileChunks(chunks: Chunks, file: ChunkLayout, range: ByteRange = { start: 0, end: file.length - 1 }, stop?: AbortSignal): AsyncGenerator<Buffer> {
  if (file.length === 0 || range.end < range.start) return;
  const first = Math.floor(range.start / file.chunkSize);
  const last = Math.floor(range.end / file.chunkSize);
  const depth = Math.max(1, Math.floor(READ_AHEAD_BYTES / file.chunkSize));
  const asked: Promise<Buffer>[] = [];
  let next = first;
  for (let n = first; n <= last; n++) {
    if (stop?.aborted) return;
    for (; next <= Math.min(last, n + depth); next++) asked.push(ahead(chunks, file, next));
    const data = await asked.shift()!;
    if (stop?.aborted) return;
    const offset = n * file.chunkSize;
    const from = Math.max(range.start - offset, 0);
    const to = Math.min(range.end - offset + 1, data.length);
    yield from === 0 && to === data.length ? data : data.subarray(from, to);
  }
}

/** The whole file in one buffer, each chunk copied once into its place. */
export async function readChunks(chunks: Chunks, file: ChunkLayout): Promise<Buffer> {
  const whole = Buffer.allocUnsafe(file.length);
  let at = 0;
  for await (const part of fileChunks(chunks, file)) at += part.copy(whole, at);
  if (at !== file.length) throw new Error(`stored file ${file._id} read ${at} bytes of ${file.length}`);
  return whole;
}
