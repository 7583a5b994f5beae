// Small helpers for the comment-stage tests: documents out for comments, comments through the service,
// the national position, and reading what a page or an export says.
import * as cheerio from 'cheerio';
import type { Response, Test } from 'supertest';
import { mongoose } from '../../server/db/mongoose.js';
import { Comment, type CommentRecord } from '../../server/comments/model.js';
import { postComment, type CommentInput } from '../../server/comments/service.js';
import { releasePosition } from '../../server/comments/position.js';
import { DocumentModel } from '../../server/documents/model.js';
import { actorOf, makeCirculatedDocument, makeUser, type MadeUser } from './factories.js';
import { testSystem } from './app.js';

/** A title no other test uses, so that e-mails and pages of this document can be told apart. */
export function uniqueTitle(what: string): string {
  return `${what} ${new mongoose.Types.ObjectId().toHexString().slice(-8)}`;
}

export interface Round {
  id: string;
  secretariat: MadeUser;
  members: { BY: MadeUser; RU: MadeUser };
}

/** A document out for comments with a member of each delegation ready to write. */
export async function roundOfComments(title = uniqueTitle('Микросхемы интегральные')): Promise<Round> {
  const { id, by } = await makeCirculatedDocument({ title });
  return { id, secretariat: by, members: { BY: await makeUser('member', { delegation: 'BY' }), RU: await makeUser('member', { delegation: 'RU' }) } };
}

export async function writeComment(docId: string, author: MadeUser, input: Partial<CommentInput> & { clauseKey: string }): Promise<CommentRecord> {
  return postComment(actorOf(author), docId, { type: 'te', text: 'Уточнить формулировку.', ...input }, new Date(), testSystem().notices);
}

/** Releases a delegation's national position through a head made for it. */
export async function releaseAs(docId: string, delegation: 'BY' | 'RU', head?: MadeUser): Promise<MadeUser> {
  const h = head ?? (await makeUser('head', { delegation }));
  await releasePosition(actorOf(h), docId, new Date(), testSystem().notices);
  return h;
}

export async function storedComment(id: string | mongoose.Types.ObjectId): Promise<CommentRecord> {
  const c = await Comment.findById(id).lean<CommentRecord>();
  if (!c) throw new Error(`comment ${id} is not stored`);
  return c;
}

export async function commentsOf(docId: string): Promise<CommentRecord[]> {
  return Comment.find({ document: docId }).sort({ createdAt: 1 }).lean<CommentRecord[]>();
}

/** Moves the deadline of a document's comment period, as a test of the edges needs. */
export async function setCommentPeriod(docId: string, period: { opensAt?: Date; closesAt?: Date }): Promise<void> {
  const set: Record<string, Date> = {};
  if (period.opensAt) set['commentPeriod.opensAt'] = period.opensAt;
  if (period.closesAt) set['commentPeriod.closesAt'] = period.closesAt;
  await DocumentModel.updateOne({ _id: docId }, { $set: set });
}

/** The text of the page's alert (the refusal a person reads). */
export function alertOf(res: Response): string {
  return cheerio.load(res.text)('[role=alert], .alert').first().text().trim();
}

/** The comment id a form post redirected to (…#comment-ID or …/comments/ID). */
export function commentIdFrom(location: string): string {
  const m = location.match(/comment-([0-9a-f]{24})$/) ?? location.match(/\/comments\/([0-9a-f]{24})$/);
  if (!m) throw new Error(`no comment id in ${location}`);
  return m[1]!;
}

/** Reads a CSV file as a Russian-locale spreadsheet program does («;» between fields): quoted fields, doubled quotes, CRLF or LF inside quotes. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ';') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** supertest: keep any answer as raw bytes (exports, PDFs), whatever its type. */
export const binaryParser: Parameters<Test['parse']>[0] = (res, callback) => {
  // In Node the response handed to a parser is the incoming message stream.
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
};
