// Reading a stored file (storage.ts) chunk by chunk, straight from the bucket's chunks collection. Each
// chunk is asked for by its key (files_id, n), the bucket's unique index: the embedded engine looks
// that up in the index, where a query for all the chunks of a file (what GridFSBucket's download
// stream sends) scans every chunk of every file (measured; docs/engine.md, "What it does not do").
// While one chunk is being written out, the next one is on its way. A chunk is handed over as a view
// of the engine's reply, never copied; files of any chunk size read alike (the size is in the file entry).
import type { mongo, Types } from 'mongoose';

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

/** The size chunk n must have: chunkSize, or what is left of the file for the last one. */
const expectedSize = (file: ChunkLayout, n: number) => Math.min(file.chunkSize, file.length - n * file.chunkSize);

/** Chunk n of the file, checked for its size; an error when it is missing or of another size. */
async function chunk(chunks: Chunks, file: ChunkLayout, n: number): Promise<Buffer> {
  const doc = await chunks.findOne({ files_id: file._id, n }, { projection: { _id: 0, data: 1 }, promoteBuffers: true });
  if (!doc) throw new Error(`chunk ${n} of stored file ${file._id} is missing`);
  const data = doc.data;
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
 * The next chunk is asked for before the current one is handed over, so that the database works while
 * the caller writes; no more than that one is read ahead, so a slow reader holds two chunks at most.
 */
export async function* fileChunks(chunks: Chunks, file: ChunkLayout, range: ByteRange = { start: 0, end: file.length - 1 }): AsyncGenerator<Buffer> {
  if (file.length === 0 || range.end < range.start) return;
  const first = Math.floor(range.start / file.chunkSize);
  const last = Math.floor(range.end / file.chunkSize);
  let next = ahead(chunks, file, first);
  for (let n = first; n <= last; n++) {
    const data = await next;
    if (n < last) next = ahead(chunks, file, n + 1);
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
