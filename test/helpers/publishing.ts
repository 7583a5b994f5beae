// Helpers for the publication, download and verification tests: approved and published documents,
// the stored file of a publication, the download route alone, and reading binary answers with supertest.
import { generateKeyPairSync } from 'node:crypto';
import express, { type Express } from 'express';
import type request from 'supertest';
import { mongoose } from '../../server/db/mongoose.js';
import { DocumentModel } from '../../server/documents/model.js';
import { getDocument } from '../../server/documents/index.js';
import { errorHandler } from '../../server/http/errors.js';
import { mountRoutes } from '../../server/http/route-table.js';
import { configureViews } from '../../server/http/views.js';
import { transition } from './app.js';
import type { DocumentRecord } from '../../server/documents/model.js';
import { loadPdfAssets } from '../../server/pdf/assets.js';
import { publishingRoutes } from '../../server/publishing/routes.js';
import { publish, type PublishOptions } from '../../server/publishing/service.js';
import { CmsSigner } from '../../server/publishing/signing/cms.js';
import { selfSigned } from '../../server/publishing/signing/keys.js';
import type { PdfSigner } from '../../server/publishing/signing/signer.js';
import { readStoredFile, storedFile, type StoredFile } from '../../server/publishing/storage.js';
import { systemClock } from '../../server/time/clock.js';
import { addDays, dayOf, type Day } from '../../server/time/days.js';
import { publicUrl, testSystem } from './app.js';
import { actorOf, makeDocument, makeUser, type MadeUser } from './factories.js';

/** The app with only the download route, streaming every file from GridFS (no memory cache). */
export function streamingApp(): Express {
  const app = express();
  configureViews(app, false);
  app.use((_req, res, next) => {
    res.locals.locale = 'ru';
    next();
  });
  mountRoutes(app, publishingRoutes({ publicUrl, downloads: { memoryBytes: 0 }, clock: systemClock, lifecycle: testSystem().lifecycle }).filter((r) => r.path === '/catalogue/:id/pdf'));
  app.use(errorHandler);
  return app;
}

/** supertest keeps a PDF as bytes only when told how to read it. */
export function binary(res: request.Response, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

/**
 * Takes a draft to 'approved'. The way there is the real one up to the ballot (circulate, close comments,
 * open the ballot — which freezes the revision); the tally's move to 'approved' is a TEST SHORTCUT: the
 * state is set through the model, with the history event the system move would add, so that
 * publication can be tested without casting votes.
 */
export async function approve(id: string, by: MadeUser): Promise<void> {
  const actor = actorOf(by);
  await transition(actor, id, 'circulate', { now: new Date(), closesAt: new Date(Date.now() + 30 * 86400_000) });
  await transition(actor, id, 'closeComments', { now: new Date() });
  await transition(actor, id, 'openBallot', { now: new Date(), closesAt: new Date(Date.now() + 30 * 86400_000) });
  const doc = await getDocument(actor, id);
  await DocumentModel.updateOne(
    { _id: id, state: 'ballot' },
    {
      $set: { state: 'approved', stage: '50.60' },
      $inc: { rev: 1 },
      $push: { history: { at: new Date(), by: null, byName: 'Accord', action: 'approve', from: 'ballot', to: 'approved', revision: doc.currentRevision } },
    },
  );
}

export async function makeApprovedDocument(opts: { title?: string; by?: MadeUser } = {}): Promise<{ id: string; by: MadeUser }> {
  const by = opts.by ?? (await makeUser('secretariat'));
  const { id } = await makeDocument({ title: opts.title, by });
  await approve(id, by);
  return { id, by };
}

let signer: PdfSigner | undefined;
/** A development signer made once per test run (an RSA key and its self-signed certificate, in memory). */
export function testSigner(): PdfSigner {
  if (signer) return signer;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  signer = new CmsSigner({ key: privateKey, certificates: [selfSigned(privateKey, loadPdfAssets().text.committee).certificate], development: true });
  return signer;
}

export const publishOptions = (extra: Partial<PublishOptions> = {}): PublishOptions => ({ lifecycle: testSystem().lifecycle, publicUrl, assets: loadPdfAssets(), signer: testSigner(), now: new Date(), ...extra });

/** The committee day `n` days from today («yyyy-mm-dd»): dates in tests are relative, never fixed. */
export function inDays(n: number, now = new Date()): Day {
  return addDays(dayOf(now), n);
}

/** Entry into force in both countries, `days` from today. */
export function entryInDays(by: number, ru = by, now = new Date()): { entryIntoForce: { BY: Day; RU: Day } } {
  const today = dayOf(now);
  return { entryIntoForce: { BY: addDays(today, by), RU: addDays(today, ru) } };
}

/** A published document, published through the service. */
export async function makePublishedDocument(opts: { title?: string; by?: MadeUser } = {}): Promise<{ id: string; by: MadeUser; doc: DocumentRecord }> {
  const { id, by } = await makeApprovedDocument(opts);
  const doc = await publish(actorOf(by), id, entryInDays(30, 60), publishOptions());
  return { id, by, doc };
}

export async function storedFileOf(doc: Pick<DocumentRecord, 'publication'>): Promise<{ file: StoredFile; bytes: Buffer }> {
  const file = await storedFile(doc.publication!.fileId);
  if (!file) throw new Error('the publication has no stored file');
  return { file, bytes: await readStoredFile(file) };
}

/** Every stored file (entry) of a document, and how many chunks lie under its id. */
export async function filesOf(documentId: string): Promise<{ files: number; chunks: number }> {
  const db = mongoose.connection.db!;
  const files = await db.collection('publications.files').find({ 'metadata.document': new mongoose.Types.ObjectId(documentId) }, { projection: { _id: 1 } }).toArray();
  const chunks = await db.collection('publications.chunks').countDocuments({ files_id: { $in: files.map((f) => f._id) } });
  return { files: files.length, chunks };
}
