// The uploaded file of an import request: the field "file" of a multipart form (the page), or the whole
// body (the JSON API: any content type but a form or JSON, which are not files). Read up to the limit
// and no further; what is larger is refused as soon as that is known.
import type { Request, Response } from 'express';
import busboy from 'busboy';
import { BadRequest, InvalidInput, PayloadTooLarge, UnsupportedMediaType } from '../../errors.js';
import { cleanText } from '../../http/clean-text.js';

export interface UploadedFile {
  bytes: Buffer;
  name: string;
}

const megabytes = (n: number) => Math.round(n / (1024 * 1024));
const tooLarge = (limit: number, prefix: string) => new PayloadTooLarge(`${prefix}.tooLarge`, { limit: megabytes(limit) });

function readBody(req: Request, limit: number, prefix: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        return reject(tooLarge(limit, prefix));
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', () => reject(new BadRequest(`${prefix}.badUpload`)));
  });
}

function readForm(req: Request, limit: number, prefix: string): Promise<UploadedFile | undefined> {
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      // Browsers send a file's name in UTF-8 (busboy would read it as Latin-1).
      bb = busboy({ headers: req.headers, defParamCharset: 'utf8', limits: { fileSize: limit, files: 1, fields: 4, fieldSize: 4096, parts: 6 } });
    } catch {
      return reject(new BadRequest(`${prefix}.badUpload`));
    }
    let file: UploadedFile | undefined;
    let failed = false;
    const fail = (err: Error) => {
      if (failed) return;
      failed = true;
      req.unpipe(bb);
      req.resume();
      reject(err);
    };
    bb.on('file', (field, stream, info) => {
      if (field !== 'file' || file) return void stream.resume();
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('limit', () => fail(tooLarge(limit, prefix)));
      stream.on('error', () => fail(new BadRequest(`${prefix}.badUpload`)));
      stream.on('end', () => {
        if (!failed) file = { bytes: Buffer.concat(chunks), name: cleanText(info.filename ?? '') };
      });
    });
    bb.on('error', () => fail(new BadRequest(`${prefix}.badUpload`)));
    bb.on('close', () => {
      if (!failed) resolve(file);
    });
    req.pipe(bb);
  });
}

/** The file sent, or a refusal a person can act on (none chosen, too large, a form or JSON instead). */
export async function uploadedFile(req: Request, limit: number, prefix = 'commentImport'): Promise<UploadedFile> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limit + 64 * 1024) {
    req.resume();
    throw tooLarge(limit, prefix);
  }
  let file: UploadedFile | undefined;
  if (req.is('multipart/form-data')) file = await readForm(req, limit, prefix);
  else if (req.is('application/x-www-form-urlencoded') || req.is('application/json')) throw new UnsupportedMediaType(`${prefix}.notOffice`);
  else file = { bytes: await readBody(req, limit, prefix), name: '' };
  if (!file || file.bytes.length === 0) throw new InvalidInput(`${prefix}.noFile`, {}, { file: `${prefix}.noFile` });
  return file;
}

/** After a refused upload, what is left of the file is not read: the connection closes after the answer. */
export function leaveUnread(req: Request, res: Response): void {
  if (req.readableEnded) return;
  res.set('Connection', 'close');
  req.resume();
}
