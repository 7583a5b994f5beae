// Designations «<prefix> <n>-<year>»: a sequence per year that never repeats or skips, without
// transactions. A number is taken by inserting {year, n, document} under two unique keys: (year, n) —
// so two publications cannot take the same number — and document — so a document never takes two.
// The record holds the document, so a number never exists without the document it belongs to; a crash
// after the insert leaves the number bound to its document, and the next attempt finds it there.
import { setTimeout as sleep } from 'node:timers/promises';
import { committeeSettings } from '../committee/index.js';
import { mongoose } from '../db/mongoose.js';
import { Conflict } from '../errors.js';
import { dayOf, yearOf, type Day } from '../time/days.js';
import { Designation, type DesignationRecord } from './model.js';

export const designationFields = { year: 1, n: 1, designation: 1, document: 1, revision: 1, publishedAt: 1, entryIntoForce: 1, fileId: 1, lease: 1, createdAt: 1 } as const;

/** The year in committee time (UTC+3): a publication at 01:00 on 1 January in Minsk counts in the new year. */
export function committeeYear(at: Date): number {
  return yearOf(dayOf(at));
}

export function formatDesignation(prefix: string, n: number, year: number): string {
  return `${prefix} ${n}-${year}`;
}

let indexes: Promise<unknown> | undefined;
/** The sequence is only as good as its unique keys: made sure of once per process, whoever connected. */
function ensureIndexes(): Promise<unknown> {
  indexes ??= Designation.createIndexes().catch((err: unknown) => {
    indexes = undefined;
    throw err;
  });
  return indexes;
}

const isDuplicateKey = (err: unknown) => (err as { code?: number })?.code === 11000;

export async function designationOf(documentId: mongoose.Types.ObjectId): Promise<DesignationRecord | null> {
  return Designation.findOne({ document: documentId }).select(designationFields).lean<DesignationRecord>();
}

export interface NumberRequest {
  document: mongoose.Types.ObjectId;
  revision: number;
  entryIntoForce: { code: string; date: Day }[];
  now: Date;
}

/**
 * The document's designation: the one it already has, or the next free number of the year. Of several
 * publications at once each inserts max + 1; one insert wins, the others see E11000 and try the next
 * number — so the numbers come out consecutive, each taken by exactly one document.
 */
export async function takeDesignation(req: NumberRequest): Promise<DesignationRecord> {
  await ensureIndexes();
  const existing = await designationOf(req.document);
  if (existing) return existing;
  const now = req.now;
  const year = committeeYear(now);
  const { designationPrefix } = await committeeSettings();
  for (let attempt = 0; attempt < 500; attempt++) {
    const last = await Designation.findOne({ year }).sort({ n: -1 }).select({ n: 1 }).lean<{ n: number }>();
    const n = (last?.n ?? 0) + 1;
    try {
      await Designation.create({
        year,
        n,
        designation: formatDesignation(designationPrefix, n, year),
        document: req.document,
        revision: req.revision,
        publishedAt: now,
        entryIntoForce: req.entryIntoForce,
        fileId: new mongoose.Types.ObjectId(),
      });
      const mine = await designationOf(req.document);
      if (mine) return mine;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      // Either this document got its number in a parallel attempt, or the number went to another one.
      const mine = await designationOf(req.document);
      if (mine) return mine;
    }
    // Spread the retries a little, so that many publications at once do not keep colliding in step.
    await sleep(Math.floor(Math.random() * 4 * Math.min(attempt + 1, 10)));
  }
  throw new Conflict('publishing.numberBusy');
}

/**
 * The designation the document would take if it were published now: the one it holds already, or the
 * next number of the year — a preview for the proof PDF, nothing taken (another publication may take it first).
 */
export async function designationPreview(documentId: mongoose.Types.ObjectId, now: Date): Promise<Pick<DesignationRecord, 'designation' | 'revision' | 'publishedAt' | 'entryIntoForce'> | { designation: string; revision?: undefined; publishedAt?: undefined }> {
  const existing = await designationOf(documentId);
  if (existing) return existing;
  const year = committeeYear(now);
  const { designationPrefix } = await committeeSettings();
  const last = await Designation.findOne({ year }).sort({ n: -1 }).select({ n: 1 }).lean<{ n: number }>();
  return { designation: formatDesignation(designationPrefix, (last?.n ?? 0) + 1, year) };
}

/** Until its file is stored, a publication's dates of entry into force may still be changed. */
export async function updateEntryIntoForce(record: DesignationRecord, entryIntoForce: { code: string; date: Day }[]): Promise<DesignationRecord> {
  const updated = await Designation.findOneAndUpdate({ _id: record._id }, { $set: { entryIntoForce } }, { returnDocument: 'after', projection: designationFields }).lean<DesignationRecord>();
  return updated ?? record;
}

const LEASE_MS = 60_000;

/**
 * Takes the publication's lease: only its holder renders and stores the file, so a double click or two
 * instances never write the same file at once. A crashed holder's lease runs out after a minute.
 */
export async function takeLease(record: DesignationRecord, now: Date): Promise<string | null> {
  const id = new mongoose.Types.ObjectId().toHexString();
  const taken = await Designation.findOneAndUpdate(
    { _id: record._id, $or: [{ lease: null }, { 'lease.until': mongoose.trusted({ $lt: now }) }] },
    { $set: { lease: { id, until: new Date(now.getTime() + LEASE_MS) } } },
    { returnDocument: 'after', projection: { lease: 1 } },
  ).lean<{ lease: { id: string } }>();
  return taken?.lease?.id === id ? id : null;
}

export async function releaseLease(record: DesignationRecord, leaseId: string): Promise<void> {
  await Designation.updateOne({ _id: record._id, 'lease.id': leaseId }, { $set: { lease: null } });
}
