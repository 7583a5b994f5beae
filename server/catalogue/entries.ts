// A catalogue entry: what the catalogue keeps of a published or withdrawn document, read from its
// stored record (catalogue.ts indexes and searches the entries).
import type { Day } from '../time/days.js';

export const CATALOGUE_STATUSES = ['in-force', 'superseded', 'withdrawn'] as const;
export type CatalogueStatus = (typeof CATALOGUE_STATUSES)[number];
/** What a visitor filters by: "adopted" (in force nowhere yet) and "in-force" split the stored "in-force" by the day (country-status.ts). */
export const FILTER_STATUSES = ['adopted', 'in-force', 'superseded', 'withdrawn'] as const;
export type FilterStatus = (typeof FILTER_STATUSES)[number];

/** A stored document as the catalogue reads it (the fields of DocumentRecord it needs). */
export interface PublishedRecord {
  _id: { toString(): string };
  titles: { ru: string; en: string };
  kind: string;
  productGroup: string;
  ics: string;
  state: string;
  designation?: string | null;
  publication?: {
    designation?: string;
    revision?: number;
    publishedAt?: Date;
    entryIntoForce?: Record<string, Day> | Map<string, Day> | null;
    sha256?: string;
    size?: number;
  } | null;
  supersedes?: { toString(): string } | null;
  supersededBy?: { toString(): string } | null;
  amends?: { toString(): string } | null;
  editions?: { revision: number; publishedAt: Date; sha256: string; size: number; amendments: { id: { toString(): string }; number: number; designation: string }[] }[] | null;
  withdrawal?: { date?: Day; reason?: string; recordedAt?: Date } | null;
  searchTokens?: string[];
  sortKey?: string;
}

export interface CatalogueEntry {
  id: string;
  designation: string;
  titles: { ru: string; en: string };
  kind: string;
  productGroup: string;
  ics: string;
  status: CatalogueStatus;
  /** The published revision of the document's text. */
  revision: number;
  publishedAt: Date;
  /** Entry into force per country, in country order. */
  entryIntoForce: { country: string; date: Day }[];
  /** Links only to documents that are themselves in the catalogue. */
  supersedes: string | null;
  supersededBy: string | null;
  /** An amendment (docs/amendments.md): the standard it amends. */
  amends: string | null;
  /** A standard's editions, oldest first, when it has been amended (docs/amendments.md). */
  editions: { revision: number; publishedAt: Date; sha256: string; size: number; amendments: { id: string; number: number; designation: string }[] }[];
  /** The day it left force, and when the withdrawal was recorded (the feed's time). */
  withdrawal: { date: Day; reason: string; recordedAt: Date } | null;
  file: { sha256: string; size: number } | null;
  tokens: readonly string[];
  sortKey: string;
}

export type FeedEventKind = 'published' | 'amended' | 'withdrawn';
export interface FeedEvent {
  kind: FeedEventKind;
  at: Date;
  entry: CatalogueEntry;
  /** For an amendment, the version it replaced. */
  replaces?: CatalogueEntry;
}

/** Documents that are in the catalogue: published or withdrawn, with a publication record. */
export const PUBLIC_STATES = ['published', 'withdrawn'] as const;

/** The record as an entry, or undefined when the document is not (or not yet) in the catalogue. */
export function toEntry(r: PublishedRecord): CatalogueEntry | undefined {
  const p = r.publication;
  const designation = r.designation ?? p?.designation;
  if (!p || !designation || !(PUBLIC_STATES as readonly string[]).includes(r.state)) return undefined;
  const eif = p.entryIntoForce instanceof Map ? Object.fromEntries(p.entryIntoForce) : (p.entryIntoForce ?? {});
  return {
    id: String(r._id),
    designation,
    titles: { ru: r.titles.ru, en: r.titles.en },
    kind: r.kind,
    productGroup: r.productGroup,
    ics: r.ics,
    status: r.state === 'withdrawn' ? 'withdrawn' : 'in-force',
    revision: p.revision ?? 1,
    publishedAt: p.publishedAt ?? new Date(0),
    entryIntoForce: Object.entries(eif)
      .filter(([, d]) => typeof d === 'string')
      .map(([country, date]) => ({ country, date: date as Day }))
      .sort((a, b) => a.country.localeCompare(b.country)),
    supersedes: r.supersedes ? String(r.supersedes) : null,
    supersededBy: r.supersededBy ? String(r.supersededBy) : null,
    amends: r.amends ? String(r.amends) : null,
    editions: (r.editions ?? []).map((e) => ({ revision: e.revision, publishedAt: e.publishedAt, sha256: e.sha256, size: e.size, amendments: e.amendments.map((a) => ({ id: String(a.id), number: a.number, designation: a.designation })) })),
    withdrawal: r.withdrawal?.date ? { date: r.withdrawal.date, reason: r.withdrawal.reason ?? '', recordedAt: r.withdrawal.recordedAt ?? new Date(0) } : null,
    file: p.sha256 ? { sha256: p.sha256, size: p.size ?? 0 } : null,
    tokens: r.searchTokens ?? [],
    sortKey: r.sortKey ?? '',
  };
}
