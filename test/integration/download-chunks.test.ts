import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import request from 'supertest';
import { mongoose } from '../../server/db/mongoose.js';
import type { DocumentRecord } from '../../server/documents/model.js';
import { chunkSizeBytes, readStoredFile, storedFile, storePdf } from '../../server/publishing/storage.js';
import { testApp } from '../helpers/app.js';
import { binary, makePublishedDocument, streamingApp } from '../helpers/publishing.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const OLD_CHUNK = 255 * 1024;
const db = () => mongoose.connection.db!;

/**
 * TEST SHORTCUT: the document's stored file is replaced by `bytes`, in chunks of `chunkSize` — through
 * storePdf for today's size, through GridFS's own upload (as files were stored before) for the old one —
 * and its publication record is given the new hash and size.
 */
async function replaceStoredFile(doc: DocumentRecord, bytes: Buffer, chunkSize: number): Promise<void> {
  const fileId = doc.publication!.fileId;
  await db().collection('publications.files').deleteOne({ _id: fileId });
  await db().collection('publications.chunks').deleteMany({ files_id: fileId });
  const meta = { document: doc._id, designation: doc.designation!, revision: doc.publication!.revision };
  if (chunkSize === chunkSizeBytes) {
    await storePdf(fileId, `${doc.designation}.pdf`, bytes, meta);
  } else {
    const metadata = { ...meta, sha256: sha256(bytes), size: bytes.length, contentType: 'application/pdf' };
    const upload = new mongoose.mongo.GridFSBucket(db(), { bucketName: 'publications', chunkSizeBytes: chunkSize }).openUploadStreamWithId(fileId, `${doc.designation}.pdf`, { metadata });
    await new Promise<void>((resolve, reject) => {
      upload.once('finish', () => resolve());
      upload.once('error', reject);
      upload.end(bytes);
    });
  }
  await db().collection('documents').updateOne({ _id: doc._id }, { $set: { 'publication.sha256': sha256(bytes), 'publication.size': bytes.length } });
}

/** A file of several chunks whose last one is partly filled. */
const bytesOf = (chunkSize: number) => Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(2 * chunkSize + 12_345)]);

describe('downloads of published files of several chunks', function () {
  this.timeout(60_000);

  for (const [layout, chunkSize] of [['stored today, in chunks of 1 MiB', chunkSizeBytes], ['stored before, in chunks of 255 KiB', OLD_CHUNK]] as const) {
    describe(layout, () => {
      let id: string;
      let doc: DocumentRecord;
      let bytes: Buffer;

      before(async () => {
        ({ id, doc } = await makePublishedDocument());
        bytes = bytesOf(chunkSize);
        await replaceStoredFile(doc, bytes, chunkSize);
      });

      it('lies in GridFS in chunks of that size', async () => {
        const file = (await storedFile(doc.publication!.fileId))!;
        assert.equal(file.chunkSize, chunkSize);
        assert.equal(await db().collection('publications.chunks').countDocuments({ files_id: file._id }), 3);
        assert.ok((await readStoredFile(file)).equals(bytes));
      });

      for (const [label, make] of [['from memory', () => testApp()], ['streamed from GridFS', streamingApp]] as const) {
        describe(label, () => {
          let server: Express;
          before(() => {
            server = make();
          });

          it('serves the whole file, every chunk in order, with its SHA-256 as the ETag', async () => {
            for (let i = 0; i < 2; i++) {
              const res = await request(server).get(`/catalogue/${id}/pdf`).buffer(true).parse(binary).expect(200);
              assert.equal(res.headers['content-length'], String(bytes.length));
              assert.equal(res.headers.etag, `"${sha256(bytes)}"`);
              assert.equal(sha256(res.body as Buffer), sha256(bytes));
            }
          });

          it('serves byte ranges that start, end or cross at chunk boundaries', async () => {
            const c = chunkSize;
            const size = bytes.length;
            const cases: [string, number, number][] = [
              [`bytes=${c - 10}-${c + 9}`, c - 10, c + 9],
              [`bytes=${c - 1}-${c}`, c - 1, c],
              [`bytes=0-${c - 1}`, 0, c - 1],
              [`bytes=${c}-${2 * c - 1}`, c, 2 * c - 1],
              [`bytes=${c + 5}-${c + 5}`, c + 5, c + 5],
              [`bytes=10-${2 * c + 10}`, 10, 2 * c + 10],
              [`bytes=${2 * c}-`, 2 * c, size - 1],
              [`bytes=-${size - c + 3}`, c - 3, size - 1],
              ['bytes=-1', size - 1, size - 1],
            ];
            for (const [range, start, end] of cases) {
              const res = await request(server).get(`/catalogue/${id}/pdf`).set('Range', range).buffer(true).parse(binary).expect(206);
              assert.equal(res.headers['content-range'], `bytes ${start}-${end}/${size}`, range);
              assert.equal(res.headers['content-length'], String(end - start + 1), range);
              assert.ok((res.body as Buffer).equals(bytes.subarray(start, end + 1)), range);
            }
          });
        });
      }
    });
  }

  it('stops reading for a reader who leaves in the middle, and serves the next one whole', async () => {
    const { id, doc } = await makePublishedDocument();
    const bytes = bytesOf(chunkSizeBytes);
    await replaceStoredFile(doc, bytes, chunkSizeBytes);
    const server = streamingApp().listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const left = await new Promise<number>((resolve, reject) => {
        const req = http.get({ host: '127.0.0.1', port, path: `/catalogue/${id}/pdf` }, (res) => {
          res.once('data', (first: Buffer) => {
            req.destroy();
            resolve(first.length);
          });
        });
        req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
      });
      assert.ok(left < bytes.length);
      const res = await request(server).get(`/catalogue/${id}/pdf`).buffer(true).parse(binary).expect(200);
      assert.ok((res.body as Buffer).equals(bytes));
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('asks for no chunk more once a reader has left in the middle of a large file', async () => {
    const { id, doc } = await makePublishedDocument();
    const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(16 * chunkSizeBytes)]);
    await replaceStoredFile(doc, bytes, chunkSizeBytes);
    const fileId = String(doc.publication!.fileId);
    let started = 0;
    let answered = 0;
    const client = mongoose.connection.getClient();
    const isChunkRead = (e: { commandName: string; command?: { find?: string; filter?: { files_id?: unknown } } }) => e.commandName === 'find' && e.command?.find === 'publications.chunks' && String(e.command.filter?.files_id) === fileId;
    const requestIds = new Set<number>();
    const onStarted = (e: mongoose.mongo.CommandStartedEvent) => {
      if (!isChunkRead(e)) return;
      started++;
      requestIds.add(e.requestId);
    };
    const onEnded = (e: mongoose.mongo.CommandSucceededEvent | mongoose.mongo.CommandFailedEvent) => {
      if (requestIds.delete(e.requestId)) answered++;
    };
    client.on('commandStarted', onStarted).on('commandSucceeded', onEnded).on('commandFailed', onEnded);
    const unhandled: unknown[] = [];
    const onUnhandled = (err: unknown) => unhandled.push(err);
    process.on('unhandledRejection', onUnhandled);
    const server = streamingApp().listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const closed = new Promise<void>((resolve) => server.once('connection', (socket) => socket.once('close', () => resolve())));
      await new Promise<void>((resolve, reject) => {
        const req = http.get({ host: '127.0.0.1', port, path: `/catalogue/${id}/pdf` }, (res) => {
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        });
        req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
      });
      await closed;
      // Every read asked for has been answered, and a few turns of the event loop pass with none asked.
      for (let quiet = 0; quiet < 20; quiet = started === answered ? quiet + 1 : 0) await new Promise((r) => setImmediate(r));
      const afterLeaving = started;
      assert.ok(afterLeaving < 17, `${afterLeaving} of 17 chunks were read for a reader who left after the first bytes`);
      // A whole download afterwards reads all 17 chunks, and only those: nothing of the first is still reading.
      const res = await request(server).get(`/catalogue/${id}/pdf`).buffer(true).parse(binary).expect(200);
      assert.ok((res.body as Buffer).equals(bytes));
      assert.equal(started - afterLeaving, 17);
      assert.deepEqual(unhandled, []);
    } finally {
      client.off('commandStarted', onStarted).off('commandSucceeded', onEnded).off('commandFailed', onEnded);
      process.off('unhandledRejection', onUnhandled);
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  describe('a stored file that lost a chunk', () => {
    let id: string;
    let doc: DocumentRecord;

    before(async () => {
      ({ id, doc } = await makePublishedDocument());
      await replaceStoredFile(doc, bytesOf(chunkSizeBytes), chunkSizeBytes);
      await db().collection('publications.chunks').deleteOne({ files_id: doc.publication!.fileId, n: 1 });
    });

    it('is refused when read whole, and answers 500 to a download, never other bytes', async () => {
      const file = (await storedFile(doc.publication!.fileId))!;
      await assert.rejects(readStoredFile(file), /chunk 1 of stored file \w+ is missing/);
      for (const server of [testApp(), streamingApp()]) {
        await request(server).get(`/catalogue/${id}/pdf`).set('Range', `bytes=${chunkSizeBytes}-${chunkSizeBytes + 99}`).expect(500);
      }
      await request(testApp()).get(`/catalogue/${id}/pdf`).expect(500);
      // Streamed whole, the first chunk is on its way when the second is found missing: the answer is cut short.
      await assert.rejects(request(streamingApp()).get(`/catalogue/${id}/pdf`).buffer(true).parse(binary).then((res) => res));
      // The chunks before the missing one are still served.
      await request(streamingApp()).get(`/catalogue/${id}/pdf`).set('Range', 'bytes=0-99').expect(206);
    });
  });
});
