import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mongoose } from '../../../server/db/mongoose.js';
import { dataOfRawChunk, fileChunks, READ_AHEAD_BYTES, type ChunkLayout, type Chunks } from '../../../server/publishing/chunks.js';

const { BSON } = mongoose.mongo;
const raw = (doc: object) => Buffer.from(BSON.serialize(doc));

/**
 * A chunks collection in memory that answers findOne as the driver does with `raw: true` (the document's
 * BSON), records each chunk asked for, and answers only when told to.
 */
function fakeChunks(file: ChunkLayout, bytes: Buffer) {
  const asked: number[] = [];
  const waiting = new Map<number, () => void>();
  const chunks = {
    findOne(filter: { n: number }, options: { raw?: boolean }) {
      assert.equal(options.raw, true);
      asked.push(filter.n);
      const data = bytes.subarray(filter.n * file.chunkSize, (filter.n + 1) * file.chunkSize);
      return new Promise((resolve) => waiting.set(filter.n, () => resolve(raw({ data }))));
    },
  } as unknown as Chunks;
  const answer = (n: number) => {
    waiting.get(n)?.();
    waiting.delete(n);
  };
  const answerAll = () => [...waiting.keys()].forEach(answer);
  return { chunks, asked, answer, answerAll };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('reading a stored file by chunks (publishing/chunks.ts)', () => {
  describe('the bytes of a chunk document as the projection returns it', () => {
    it('are a view of the raw BSON, not a copy', () => {
      const bytes = randomBytes(1000);
      const doc = raw({ data: bytes });
      const data = dataOfRawChunk(doc)!;
      assert.ok(data.equals(bytes));
      assert.equal(data.buffer, doc.buffer);
      assert.equal(data.byteOffset, doc.byteOffset + 15);
    });

    it('are read from documents of another shape too: another subtype, another field first, no bytes', () => {
      const bytes = randomBytes(100);
      assert.ok(dataOfRawChunk(raw({ data: new mongoose.mongo.Binary(bytes, 2) }))!.equals(bytes));
      assert.ok(dataOfRawChunk(raw({ n: 3, data: bytes }))!.equals(bytes));
      assert.ok(dataOfRawChunk(raw({ data: Buffer.alloc(0) }))!.equals(Buffer.alloc(0)));
      assert.equal(dataOfRawChunk(raw({ data: 'not bytes' })), undefined);
      assert.equal(dataOfRawChunk(raw({ other: bytes })), undefined);
    });
  });

  describe('a file of many chunks', () => {
    const chunkSize = 256 * 1024;
    const bytes = randomBytes(40 * chunkSize + 17);
    const file = { _id: new mongoose.Types.ObjectId(), length: bytes.length, chunkSize } as ChunkLayout;
    const depth = READ_AHEAD_BYTES / chunkSize;

    it('asks for the chunks READ_AHEAD_BYTES ahead of the one handed over, no further', async () => {
      const { chunks, asked, answerAll } = fakeChunks(file, bytes);
      const reader = fileChunks(chunks, file);
      const first = reader.next();
      await settle();
      assert.deepEqual(asked, Array.from({ length: depth + 1 }, (_, n) => n));
      answerAll();
      assert.ok((await first).value.equals(bytes.subarray(0, chunkSize)));
      const second = reader.next();
      await settle();
      assert.equal(asked.length, depth + 2);
      answerAll();
      assert.ok((await second).value.equals(bytes.subarray(chunkSize, 2 * chunkSize)));
      await reader.return(undefined);
    });

    it('reads it whole, in order, and a range across chunks', async () => {
      const { chunks, answerAll } = fakeChunks(file, bytes);
      const answering = setInterval(answerAll, 0);
      try {
        const whole: Buffer[] = [];
        for await (const part of fileChunks(chunks, file)) whole.push(part);
        assert.ok(Buffer.concat(whole).equals(bytes));
        const part: Buffer[] = [];
        for await (const p of fileChunks(chunks, file, { start: chunkSize - 5, end: 3 * chunkSize + 4 })) part.push(p);
        assert.ok(Buffer.concat(part).equals(bytes.subarray(chunkSize - 5, 3 * chunkSize + 5)));
      } finally {
        clearInterval(answering);
      }
    });

    it('asks for nothing more once told to stop, hands nothing more over, and leaves no failure unhandled', async () => {
      const { chunks, asked, answer, answerAll } = fakeChunks(file, bytes);
      const stop = new AbortController();
      const reader = fileChunks(chunks, file, undefined, stop.signal);
      const first = reader.next();
      await settle();
      answer(0);
      await first;
      // The reader waits for chunk 1 when it is told to stop; chunk 1 and those read ahead then arrive.
      const second = reader.next();
      await settle();
      const before = asked.length;
      assert.equal(before, depth + 2);
      stop.abort();
      answerAll();
      assert.deepEqual(await second, { done: true, value: undefined });
      assert.deepEqual(await reader.next(), { done: true, value: undefined });
      await settle();
      assert.equal(asked.length, before);
      // Told to stop between two chunks, it asks for none either.
      const again = fileChunks(chunks, file, undefined, AbortSignal.abort());
      assert.deepEqual(await again.next(), { done: true, value: undefined });
      assert.equal(asked.length, before);
    });

    it('keeps a chunk that fails while read ahead for the reader, and reports it then', async () => {
      const failing = {
        findOne: (filter: { n: number }) => (filter.n === 1 ? Promise.resolve(null) : Promise.resolve(raw({ data: bytes.subarray(filter.n * chunkSize, (filter.n + 1) * chunkSize) }))),
      } as unknown as Chunks;
      const reader = fileChunks(failing, file);
      assert.equal((await reader.next()).value.length, chunkSize);
      await settle();
      await assert.rejects(reader.next(), /chunk 1 of stored file \w+ is missing/);
    });
  });
});
