// The published PDFs in GridFS (bucket 'publications'). A file is written once, under an id chosen with
// the designation, with its SHA-256, size and the PDF's own /ID in the metadata; it is never changed.
import { createHash } from 'node:crypto';
import { mongoose } from '../db/mongoose.js';
import { fileChunks, readChunks, type ByteRange, type ChunkLayout, type Chunks } from './chunks.js';

export const bucketName = 'publications';

/**
 * The chunk size of files stored from now on: a 2 MB PDF is two chunks, read with two lookups (chunks.ts)
 * instead of nine with GridFS's default of 255 KiB, which files stored before keep.
 */
export const chunkSizeBytes = 1024 * 1024;

export interface StoredFileMetadata {
  document: mongoose.Types.ObjectId;
  designation: string;
  revision: number;
  sha256: string;
  size: number;
  /** The first element of the PDF's trailer /ID (hex): kept by editors that rewrite the file. */
  pdfId?: string;
  /** Who signed the stored bytes (signing/): files stored before signing began have none. */
  signature?: StoredSignature;
  contentType: 'application/pdf';
}

export interface StoredSignature {
  signer: string;
  /** SHA-256 of the signing certificate (hex). */
  fingerprint: string;
  development: boolean;
  signedAt: Date;
}

export interface StoredFile {
  _id: mongoose.Types.ObjectId;
  length: number;
  chunkSize: number;
  uploadDate: Date;
  filename: string;
  metadata: StoredFileMetadata;
}

const fileFields = { length: 1, chunkSize: 1, uploadDate: 1, filename: 1, metadata: 1 } as const;

function db() {
  const d = mongoose.connection.db;
  if (!d) throw new Error('the database is not connected');
  return d;
}

function bucket() {
  return new mongoose.mongo.GridFSBucket(db(), { bucketName });
}
const files = () => db().collection<StoredFile>(`${bucketName}.files`);
const chunks = (): Chunks => db().collection(`${bucketName}.chunks`);

let indexes: Promise<unknown> | undefined;
/** The keys a retry and a verification look files up by; created once per process. */
function ensureIndexes(): Promise<unknown> {
  indexes ??= Promise.all([
    // One file per revision of a document: a standard's consolidated editions each have their own (docs/amendments.md).
    files().createIndex({ 'metadata.document': 1, 'metadata.revision': 1 }, { unique: true, sparse: true, name: 'document_revision_unique' }),
    files().createIndex({ 'metadata.sha256': 1 }, { unique: true, sparse: true, name: 'sha256_unique' }),
    files().createIndex({ 'metadata.pdfId': 1 }, { name: 'pdfId' }),
    chunks().createIndex({ files_id: 1, n: 1 }, { unique: true }),
  ]).catch((err) => {
    indexes = undefined;
    throw err;
  });
  return indexes;
}

export function sha256Of(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The first element of the trailer's /ID array, as lower-case hex; undefined when there is none. */
export function pdfIdOf(bytes: Buffer): string | undefined {
  const tail = bytes.subarray(Math.max(0, bytes.length - 4096)).toString('latin1');
  return /\/ID\s*\[\s*<([0-9A-Fa-f]{16,64})>/.exec(tail)?.[1]?.toLowerCase();
}

export async function storedFile(fileId: mongoose.Types.ObjectId): Promise<StoredFile | null> {
  return files().findOne({ _id: fileId }, { projection: fileFields });
}

export async function storedFileBySha256(sha256: string): Promise<StoredFile | null> {
  await ensureIndexes();
  return files().findOne({ 'metadata.sha256': sha256 }, { projection: fileFields });
}

export async function storedFilesByPdfId(pdfId: string): Promise<StoredFile[]> {
  await ensureIndexes();
  return files().find({ 'metadata.pdfId': pdfId }, { projection: fileFields }).limit(5).toArray();
}

/**
 * Writes the file under its chosen id, unless it is there already. The caller holds the publication's
 * lease, so chunks under this id without a file entry are what a crashed attempt left: they go first.
 * The file entry is written last by GridFS, so it exists only once every chunk does; it is then read
 * back and checked against its hash.
 */
export async function storePdf(fileId: mongoose.Types.ObjectId, filename: string, bytes: Buffer, meta: Omit<StoredFileMetadata, 'sha256' | 'size' | 'contentType' | 'pdfId'>): Promise<StoredFile> {
  await ensureIndexes();
  const existing = await storedFile(fileId);
  if (existing) return existing;
  await chunks().deleteMany({ files_id: fileId });
  const metadata: StoredFileMetadata = { ...meta, sha256: sha256Of(bytes), size: bytes.length, pdfId: pdfIdOf(bytes), contentType: 'application/pdf' };
  const upload = bucket().openUploadStreamWithId(fileId, filename, { metadata, chunkSizeBytes });
  await new Promise<void>((resolve, reject) => {
    upload.once('finish', () => resolve());
    upload.once('error', reject);
    upload.end(bytes);
  });
  const stored = await storedFile(fileId);
  if (!stored) throw new Error(`stored file ${fileId} is not found after writing it`);
  const back = await readStoredFile(stored);
  if (sha256Of(back) !== metadata.sha256) throw new Error(`stored file ${fileId} does not read back as written`);
  return stored;
}

/** Bytes [start, end] (inclusive) of a stored file, or all of it, chunk by chunk (chunks.ts), until `stop` is aborted. */
export function openStoredFile(file: ChunkLayout, range?: ByteRange, stop?: AbortSignal): AsyncGenerator<Buffer> {
  return fileChunks(chunks(), file, range, stop);
}

export function readStoredFile(file: ChunkLayout): Promise<Buffer> {
  return readChunks(chunks(), file);
}
