// A PDF uploaded for verification is hashed as it streams in and never stored: its bytes stay in memory
// only while its signatures are checked (signing/check.ts), with its SHA-256, its size and the /ID near
// its end. The stream is refused as soon as it is known to be wrong — no %PDF- at its start, or more than
// the limit — and the rest of it is not read.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Request, Response } from 'express';
import busboy from 'busboy';
import { BadRequest, PayloadTooLarge, UnsupportedMediaType } from '../errors.js';
import { pdfIdOf } from './storage.js';
import { cleanText } from '../http/clean-text.js';

export { PayloadTooLarge, UnsupportedMediaType };

export const UPLOAD_LIMIT = 50 * 1024 * 1024;

export interface HashedUpload {
  file?: { sha256: string; size: number; pdfId?: string; name: string; bytes: Buffer };
  fields: Record<string, string>;
}

const megabytes = (n: number) => Math.round(n / (1024 * 1024));

/** Reads a multipart form with at most one file (field "file") and a few short text fields. */
export function hashUpload(req: Request, limit = UPLOAD_LIMIT): Promise<HashedUpload> {
  // A body declared larger than any acceptable form is refused before a byte of it is read.
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limit + 64 * 1024) return Promise.reject(new PayloadTooLarge('publishing.tooLarge', { limit: megabytes(limit) }));

  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: req.headers, limits: { fileSize: limit, files: 1, fields: 6, fieldSize: 4096, parts: 8 } });
    } catch {
      reject(new BadRequest('publishing.badUpload'));
      return;
    }
    const fields: Record<string, string> = {};
    let file: HashedUpload['file'];
    let settled = false;
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      req.unpipe(bb);
      reject(err);
    };

    bb.on('file', (name, stream, info) => {
      if (name !== 'file' || file) {
        stream.resume();
        return;
      }
      hashFile(stream, info.filename, limit, {
        settled: () => settled,
        fail,
        done: (hashed) => {
          file = hashed;
        },
      });
    });
    bb.on('field', (name, value) => {
      fields[name] = cleanText(value);
    });
    bb.on('error', () => fail(new BadRequest('publishing.badUpload')));
    bb.on('close', () => {
      if (settled) return;
      settled = true;
      resolve({ file, fields });
    });
    req.on('aborted', () => fail(new BadRequest('publishing.badUpload')));
    req.on('error', () => fail(new BadRequest('publishing.badUpload')));
    req.pipe(bb);
  });
}

interface UploadState {
  /** Whether the upload has already been answered (refused, or read to its end). */
  settled: () => boolean;
  fail: (err: Error) => void;
  done: (file: NonNullable<HashedUpload['file']>) => void;
}

/**
 * Hashes the uploaded file as it streams in, keeping its bytes (at most the limit), its first bytes (is it
 * a PDF?) and its last few kilobytes (where its /ID is); refuses it at the first sign that it is no PDF or
 * over the limit.
 */
function hashFile(stream: Readable, filename: string | undefined, limit: number, upload: UploadState): void {
  // busboy reports a body cut short ("Unexpected end of form") on the file stream too: without this
  // listener it would be an uncaught error.
  stream.on('error', () => upload.fail(new BadRequest('publishing.badUpload')));
  const hash = createHash('sha256');
  const parts: Buffer[] = [];
  let size = 0;
  let head = Buffer.alloc(0);
  let tail = Buffer.alloc(0);
  stream.on('data', (chunk: Buffer) => {
    if (upload.settled()) return;
    if (head.length < 5) {
      head = Buffer.concat([head, chunk.subarray(0, 5 - head.length)]);
      if (head.length === 5 && head.toString('latin1') !== '%PDF-') return upload.fail(new UnsupportedMediaType('publishing.notPdf'));
    }
    hash.update(chunk);
    parts.push(chunk);
    size += chunk.length;
    tail = tail.length + chunk.length > 8192 ? Buffer.concat([tail, chunk]).subarray(-4096) : Buffer.concat([tail, chunk]);
  });
  stream.on('limit', () => upload.fail(new PayloadTooLarge('publishing.tooLarge', { limit: megabytes(limit) })));
  stream.on('end', () => {
    if (upload.settled()) return;
    // An empty file input (nothing chosen) is no file at all.
    if (size === 0 && !filename) return;
    if (size < 5) return upload.fail(new UnsupportedMediaType('publishing.notPdf'));
    upload.done({ sha256: hash.digest('hex'), size, pdfId: pdfIdOf(tail.subarray(-4096)), name: filename ?? '', bytes: Buffer.concat(parts, size) });
  });
}

/**
 * After a refusal: stop reading the upload. Until the answer is out the client is held back (nothing is
 * read); then what it still sends is discarded for a moment — so that it reads the answer rather than a
 * connection reset — and the connection is closed.
 */
export function cutUpload(req: Request, res: Response): void {
  req.unpipe();
  req.pause();
  const close = () => req.socket?.destroy();
  res.once('close', () => {
    let discarded = 0;
    const timer = setTimeout(close, 2000);
    timer.unref();
    req.on('data', (chunk: Buffer) => {
      discarded += chunk.length;
      if (discarded > 4 * 1024 * 1024) {
        clearTimeout(timer);
        close();
      }
    });
    req.socket?.once('close', () => clearTimeout(timer));
    req.resume();
  });
}
