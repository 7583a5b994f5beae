// What a publication's steps share, for the standard's publication (service.ts) and an amendment's
// (amendments.ts, docs/amendments.md): the messages, the input and options, the checks of the dates of
// entry into force, and the last step — the 'publish' move that marks the document published.
import type { CurrentUser } from '../auth/index.js';
import type { DocumentRecord } from '../documents/index.js';
import { getDocument } from '../documents/index.js';
import type { Lifecycle } from '../lifecycle/index.js';
import { Conflict, Forbidden, InvalidInput } from '../errors.js';
import type { PdfAssets } from '../pdf/assets.js';
import { addDays, dayOf, type Day } from '../time/days.js';
import { dayParam } from '../time/format.js';
import type { DesignationRecord } from './model.js';
import type { PdfSigner } from './signing/signer.js';
import type { VotingRecordSource } from './voting-record.js';
import type { StoredFile } from './storage.js';

export const messages = {
  notApproved: 'publishing.notApproved',
  alreadyPublished: 'publishing.alreadyPublished',
  inProgress: 'publishing.inProgress',
  notPublished: 'publishing.notPublished',
  alreadyAmended: 'publishing.alreadyAmended',
  entryBeforePublication: 'publishing.entryBeforePublication',
  entryTooLate: 'publishing.entryTooLate',
  withdrawalBeforePublication: 'publishing.withdrawalBeforePublication',
  notFound: 'publishing.notFound',
  amendmentUnderWay: 'amendments.underWay',
  standardNotInForce: 'amendments.standardNotInForce',
  amendmentHasNoProof: 'amendments.noProof',
  revisionUnderWay: 'amendments.revisionUnderWay',
  amendmentOpen: 'amendments.amendmentOpen',
} as const;

/** The countries whose dates of entry into force a publication states. */
export const COUNTRIES = ['BY', 'RU'] as const;
export type CountryCode = (typeof COUNTRIES)[number];

export interface PublishInput {
  entryIntoForce: Record<CountryCode, Day>;
}

export type PublicationStep = 'number' | 'render' | 'store' | 'mark';

export interface PublishOptions {
  lifecycle: Lifecycle;
  publicUrl: string;
  assets: PdfAssets;
  /** The committee's signer: every published file is signed (docs/signing.md). */
  signer: PdfSigner;
  /** Where the foreword's votes come from; the ballots of the document unless given (a test gives its own). */
  votes?: VotingRecordSource;
  /** Called after each step; a test throws here to stand for a crash at that point. */
  afterStep?: (step: PublicationStep) => void | Promise<void>;
  now: Date;
}

export function requireSecretariat(actor: CurrentUser): void {
  if (actor.role !== 'secretariat') throw new Forbidden('errors.forbidden');
}

/** Entry into force is a day from the day of publication onwards, within ten years. */
export function checkEntryIntoForce(input: PublishInput, now: Date): { code: CountryCode; date: Day }[] {
  const first = dayOf(now);
  const last = addDays(first, 10 * 366);
  const fields: Record<string, string> = {};
  for (const code of COUNTRIES) {
    const d = input.entryIntoForce[code];
    if (d < first) fields[`entryIntoForce${code}`] = messages.entryBeforePublication;
    else if (d > last) fields[`entryIntoForce${code}`] = messages.entryTooLate;
  }
  const firstProblem = Object.values(fields)[0];
  if (firstProblem) throw new InvalidInput(firstProblem, { date: dayParam(first) }, fields);
  return COUNTRIES.map((code) => ({ code, date: input.entryIntoForce[code] }));
}

export const sameDates = (a: { code: string; date: Day }[], b: { code: string; date: Day }[]) =>
  a.length === b.length && a.every((x) => b.some((y) => y.code === x.code && y.date === x.date));

/** The publication record the document carries, built from its designation and its stored file. */
export function publicationOf(record: Pick<DesignationRecord, 'designation' | 'revision' | 'publishedAt' | 'entryIntoForce'>, file: StoredFile) {
  return {
    designation: record.designation,
    revision: record.revision,
    publishedAt: record.publishedAt,
    entryIntoForce: Object.fromEntries(record.entryIntoForce.map((e) => [e.code, e.date])),
    fileId: file._id,
    sha256: file.metadata.sha256,
    size: file.metadata.size,
  };
}

/**
 * Steps 4 and 5: one conditional update moves the document and records its publication together; the
 * lifecycle then supersedes the amended predecessor (the 'publish' move's effect) and tells the listeners.
 */
export async function markPublished(actor: CurrentUser, doc: DocumentRecord, record: Pick<DesignationRecord, 'designation' | 'revision' | 'publishedAt' | 'entryIntoForce' | 'fileId'>, file: StoredFile, opts: PublishOptions, extra: Record<string, unknown> = {}): Promise<DocumentRecord> {
  const { now, lifecycle } = opts;
  try {
    return await lifecycle.move(actor, String(doc._id), 'publish', {
      dedicated: true,
      now,
      set: { designation: record.designation, publication: publicationOf(record, file), ...extra },
      afterCommit: () => opts.afterStep?.('mark'),
    });
  } catch (err) {
    // A parallel attempt may have marked it first: that is this publication finished, not a failure.
    if (!(err instanceof Conflict)) throw err;
    const current = await getDocument(actor, String(doc._id));
    if (current.publication && String(current.publication.fileId) === String(record.fileId)) {
      await lifecycle.finish(current, 'publish', now, { actor });
      return current;
    }
    throw err;
  }
}

