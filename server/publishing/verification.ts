// Is this file an authentic published version, which one, and is it still in force? Answered from the
// stored files' hashes: a file is authentic when its SHA-256 is that of a publication's stored PDF. A
// file whose PDF /ID is a publication's but whose hash is not is reported as altered. An uploaded file's
// signatures are checked besides (verification-signatures.ts).
import { getDocument } from '../documents/index.js';
import type { DocumentRecord } from '../documents/index.js';
import { NotFound } from '../errors.js';
import type { Day } from '../time/days.js';
import { storedFile, storedFileBySha256, storedFilesByPdfId, type StoredSignature } from './storage.js';

export type PublicationStatus =
  | { kind: 'inForce' }
  | { kind: 'superseded'; by: { id: string; designation?: string; entryIntoForce: { code: string; date: Day }[] } }
  | { kind: 'withdrawn'; date?: Day; reason?: string };

export interface PublicationFacts {
  id: string;
  designation: string;
  titles: { ru: string; en: string };
  revision: number;
  publishedAt: Date;
  entryIntoForce: { code: string; date: Day }[];
  sha256: string;
  size: number;
  status: PublicationStatus;
  /** Who signed the stored file, and when; files stored before signing began have none. */
  signature?: StoredSignature;
  /** An amendment: the id of the standard it amends (docs/amendments.md); it has no STS XML of its own. */
  amends?: string;
}

export type Verdict =
  | { kind: 'authentic'; sha256: string; publication: PublicationFacts }
  /** Its /ID says it was made from this publication, but its bytes are not the published ones. */
  | { kind: 'altered'; sha256: string; claims: PublicationFacts }
  | { kind: 'unknown'; sha256: string };

export const isSha256 = (s: string) => /^[0-9a-f]{64}$/.test(s);

function entries(map: unknown): { code: string; date: Day }[] {
  const pairs = map instanceof Map ? [...map.entries()] : Object.entries((map ?? {}) as Record<string, Day>);
  return pairs.map(([code, date]) => ({ code: String(code), date: date as Day })).sort((a, b) => a.code.localeCompare(b.code));
}

async function statusOf(doc: DocumentRecord): Promise<PublicationStatus> {
  if (doc.state === 'published') return { kind: 'inForce' };
  if (doc.supersededBy) {
    const by = await getDocument(undefined, String(doc.supersededBy)).catch(() => null);
    return { kind: 'superseded', by: { id: String(doc.supersededBy), designation: by?.publication?.designation, entryIntoForce: entries(by?.publication?.entryIntoForce) } };
  }
  return { kind: 'withdrawn', date: doc.withdrawal?.date, reason: doc.withdrawal?.reason };
}

/** A published (or since superseded or withdrawn) document's publication; "not found" for any other. */
export async function publicationFacts(id: string): Promise<PublicationFacts> {
  const doc = await getDocument(undefined, id).catch((err) => {
    throw err instanceof NotFound ? new NotFound('publishing.notFound') : err;
  });
  const p = doc.publication;
  if (!p?.sha256) throw new NotFound('publishing.notFound');
  return {
    id: String(doc._id),
    designation: p.designation,
    titles: doc.titles,
    revision: p.revision,
    publishedAt: p.publishedAt,
    entryIntoForce: entries(p.entryIntoForce),
    sha256: p.sha256,
    size: p.size,
    status: await statusOf(doc),
    signature: p.fileId ? (await storedFile(p.fileId))?.metadata.signature : undefined,
    ...(doc.amends ? { amends: String(doc.amends) } : {}),
  };
}

/** The publication whose stored file has exactly this hash (a stored file not yet published counts as none). */
async function publicationWithHash(sha256: string): Promise<PublicationFacts | undefined> {
  const file = await storedFileBySha256(sha256);
  if (!file) return undefined;
  const facts = await publicationFacts(String(file.metadata.document)).catch(() => undefined);
  if (!facts || facts.sha256 === sha256) return facts;
  // An earlier edition of an amended standard stays authentic: its own revision, hash and size (docs/amendments.md).
  const doc = await getDocument(undefined, facts.id).catch(() => undefined);
  const edition = doc?.editions?.find((e) => e.sha256 === sha256);
  return edition ? { ...facts, revision: edition.revision, sha256: edition.sha256, size: edition.size, signature: file.metadata.signature } : undefined;
}

export async function verifyHash(sha256: string, pdfId?: string): Promise<Verdict> {
  const publication = await publicationWithHash(sha256);
  if (publication) return { kind: 'authentic', sha256, publication };
  if (pdfId) {
    for (const file of await storedFilesByPdfId(pdfId)) {
      const claims = await publicationFacts(String(file.metadata.document)).catch(() => undefined);
      if (claims) return { kind: 'altered', sha256, claims };
    }
  }
  return { kind: 'unknown', sha256 };
}
