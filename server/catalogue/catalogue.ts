// The published catalogue as an in-memory structure: built once from the stored documents whenever the
// catalogue changes, then searched without touching the database. Pure: records in, answers out.
//
// Positions are in Russian title order. Each stem has a posting list (sorted positions); a stem found in
// many documents, each product group and each status also has a bitset (one bit a document). A query
// ANDs the bitsets of its terms (n/32 words each), counts the matches by popcount and walks the bits
// only as far as the page it shows, so its cost hardly grows with the catalogue. Only the ICS prefix
// and the dates are tested document by document, and only a non-default order sorts the matches.
import type { Day } from '../time/days.js';
import { matchesAsPrefix } from './tokens.js';

export const CATALOGUE_STATUSES = ['in-force', 'superseded', 'withdrawn'] as const;
export type CatalogueStatus = (typeof CATALOGUE_STATUSES)[number];
export const SORT_ORDERS = ['title', 'designation', 'date'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

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

export interface SearchQuery {
  /** Stems from queryStems(); all must match. */
  stems: readonly string[];
  group?: string;
  /** ICS prefix: «31» finds 31.200 and 31.080.01. */
  ics?: string;
  status?: CatalogueStatus;
  /** Publication date from (inclusive) and before (exclusive). */
  from?: Date;
  before?: Date;
  sort: SortOrder;
  locale: 'ru' | 'en';
  page: number;
  perPage: number;
}

export interface SearchResult {
  total: number;
  page: number;
  pages: number;
  items: CatalogueEntry[];
}

/** Documents that are in the catalogue: published or withdrawn, with a publication record. */
export const PUBLIC_STATES = ['published', 'withdrawn'] as const;

const ruCollator = new Intl.Collator('ru', { sensitivity: 'base' });
const enCollator = new Intl.Collator('en', { sensitivity: 'base' });
const designationCollator = new Intl.Collator('ru', { numeric: true, sensitivity: 'base' });

function toEntry(r: PublishedRecord): CatalogueEntry | undefined {
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
    withdrawal: r.withdrawal?.date ? { date: r.withdrawal.date, reason: r.withdrawal.reason ?? '', recordedAt: r.withdrawal.recordedAt ?? new Date(0) } : null,
    file: p.sha256 ? { sha256: p.sha256, size: p.size ?? 0 } : null,
    tokens: r.searchTokens ?? [],
    sortKey: r.sortKey ?? '',
  };
}

function lowerBound(sorted: readonly string[], value: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const EMPTY = new Uint32Array(0);

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** A bitset of `words` 32-bit words with the given positions set. */
function bitsOf(positions: ArrayLike<number>, words: number): Uint32Array {
  const b = new Uint32Array(words);
  for (let k = 0; k < positions.length; k++) {
    const i = positions[k]!;
    b[i >>> 5]! |= 1 << (i & 31);
  }
  return b;
}

/** Calls visit with each set position in ascending order until it returns false. */
function eachBit(b: Uint32Array, visit: (i: number) => boolean | void): void {
  for (let w = 0; w < b.length; w++) {
    let x = b[w]!;
    while (x !== 0) {
      const low = x & -x;
      if (visit(w * 32 + 31 - Math.clz32(low)) === false) return;
      x ^= low;
    }
  }
}

export class Catalogue {
  /** In Russian title order (the default order of results). */
  readonly entries: readonly CatalogueEntry[];
  /** Newest first. */
  readonly events: readonly FeedEvent[];
  private readonly byId = new Map<string, number>();
  private readonly vocabulary: string[];
  private readonly postings = new Map<string, Uint32Array>();
  /** Bitsets of the stems found in at least 1/64 of the documents (the rest are built when asked for). */
  private readonly dense = new Map<string, Uint32Array>();
  private readonly groups = new Map<string, Uint32Array>();
  private readonly statuses = new Map<CatalogueStatus, Uint32Array>();
  private readonly words: number;
  private readonly everyone: Uint32Array;
  private readonly rank: Record<'en' | 'designation' | 'date', Uint32Array>;
  /** When the stored catalogue last changed (set by the store that built this one). */
  changedAt = new Date(0);

  constructor(records: readonly PublishedRecord[]) {
    const entries = records.map(toEntry).filter((e): e is CatalogueEntry => !!e);
    const ids = new Set(entries.map((e) => e.id));
    for (const e of entries) {
      if (e.supersedes && !ids.has(e.supersedes)) e.supersedes = null;
      if (e.supersededBy && !ids.has(e.supersededBy)) e.supersededBy = null;
      if (e.supersededBy) e.status = 'superseded';
    }
    entries.sort((a, b) => ruCollator.compare(a.sortKey || a.titles.ru, b.sortKey || b.titles.ru) || designationCollator.compare(a.designation, b.designation));
    this.entries = entries;
    entries.forEach((e, i) => this.byId.set(e.id, i));

    const tokenLists = new Map<string, number[]>();
    const groupLists = new Map<string, number[]>();
    entries.forEach((e, i) => {
      for (const t of new Set(e.tokens)) {
        const list = tokenLists.get(t);
        if (list) list.push(i);
        else tokenLists.set(t, [i]);
      }
      const g = groupLists.get(e.productGroup);
      if (g) g.push(i);
      else groupLists.set(e.productGroup, [i]);
    });
    this.words = Math.ceil(entries.length / 32);
    const denseFrom = Math.max(16, entries.length >> 6);
    for (const [t, list] of tokenLists) {
      this.postings.set(t, Uint32Array.from(list));
      if (list.length >= denseFrom) this.dense.set(t, bitsOf(list, this.words));
    }
    for (const [g, list] of groupLists) this.groups.set(g, bitsOf(list, this.words));
    for (const status of CATALOGUE_STATUSES) {
      this.statuses.set(status, bitsOf(entries.flatMap((e, i) => (e.status === status ? [i] : [])), this.words));
    }
    this.everyone = bitsOf(entries.map((_, i) => i), this.words);
    this.vocabulary = [...tokenLists.keys()].sort();

    const rankBy = (compare: (a: CatalogueEntry, b: CatalogueEntry) => number) => {
      const order = entries.map((_, i) => i).sort((a, b) => compare(entries[a]!, entries[b]!) || a - b);
      const rank = new Uint32Array(entries.length);
      order.forEach((pos, r) => (rank[pos] = r));
      return rank;
    };
    this.rank = {
      en: rankBy((a, b) => enCollator.compare(a.titles.en, b.titles.en)),
      designation: rankBy((a, b) => designationCollator.compare(a.designation, b.designation)),
      date: rankBy((a, b) => b.publishedAt.getTime() - a.publishedAt.getTime()),
    };

    const events: FeedEvent[] = [];
    for (const e of entries) {
      const replaces = e.supersedes ? this.get(e.supersedes) : undefined;
      events.push(replaces ? { kind: 'amended', at: e.publishedAt, entry: e, replaces } : { kind: 'published', at: e.publishedAt, entry: e });
      if (e.status === 'withdrawn' && e.withdrawal) events.push({ kind: 'withdrawn', at: e.withdrawal.recordedAt, entry: e });
    }
    this.events = events.sort((a, b) => b.at.getTime() - a.at.getTime());
  }

  get size(): number {
    return this.entries.length;
  }

  get(id: string): CatalogueEntry | undefined {
    const i = this.byId.get(id);
    return i === undefined ? undefined : this.entries[i];
  }

  /** Product group codes that have at least one document. */
  groupCodes(): string[] {
    return [...this.groups.keys()];
  }

  /** Documents with a stem that begins with (or, for short stems and numbers, equals) this one. */
  private withStem(stem: string): Uint32Array {
    const exact = (t: string) => this.dense.get(t) ?? bitsOf(this.postings.get(t) ?? EMPTY, this.words);
    if (!matchesAsPrefix(stem)) return exact(stem);
    const first = lowerBound(this.vocabulary, stem);
    let last = first;
    while (last < this.vocabulary.length && this.vocabulary[last]!.startsWith(stem)) last++;
    if (last - first === 1) return exact(this.vocabulary[first]!);
    const out = new Uint32Array(this.words);
    for (let k = first; k < last; k++) {
      const t = this.vocabulary[k]!;
      const dense = this.dense.get(t);
      if (dense) for (let w = 0; w < this.words; w++) out[w]! |= dense[w]!;
      else for (const i of this.postings.get(t)!) out[i >>> 5]! |= 1 << (i & 31);
    }
    return out;
  }

  search(q: SearchQuery): SearchResult {
    let bits: Uint32Array | undefined;
    const and = (b: Uint32Array) => {
      if (!bits) bits = b.slice();
      else for (let w = 0; w < this.words; w++) bits[w]! &= b[w]!;
    };
    for (const stem of q.stems) and(this.withStem(stem));
    if (q.group) and(this.groups.get(q.group) ?? new Uint32Array(this.words));
    if (q.status) and(this.statuses.get(q.status)!);
    const matches = bits ?? this.everyone;
    const start = (q.page - 1) * q.perPage;
    const rank = q.sort === 'designation' ? this.rank.designation : q.sort === 'date' ? this.rank.date : q.locale === 'en' ? this.rank.en : undefined;
    const from = q.from?.getTime();
    const before = q.before?.getTime();
    const tested = q.ics !== undefined || from !== undefined || before !== undefined;
    const result = (total: number, items: CatalogueEntry[]) => ({ total, page: q.page, pages: Math.max(1, Math.ceil(total / q.perPage)), items });

    if (!rank && !tested) {
      // The usual case: count, then walk only to the page asked for, skipping whole words.
      let total = 0;
      for (let w = 0; w < this.words; w++) total += popcount(matches[w]!);
      const items: CatalogueEntry[] = [];
      let seen = 0;
      for (let w = 0; w < this.words && items.length < q.perPage; w++) {
        let x = matches[w]!;
        const inWord = popcount(x);
        if (seen + inWord <= start) {
          seen += inWord;
          continue;
        }
        while (x !== 0 && items.length < q.perPage) {
          const low = x & -x;
          if (seen++ >= start) items.push(this.entries[w * 32 + 31 - Math.clz32(low)]!);
          x ^= low;
        }
      }
      return result(total, items);
    }

    const matched: number[] = [];
    eachBit(matches, (i) => {
      const e = this.entries[i]!;
      if (q.ics && !e.ics.startsWith(q.ics)) return;
      const t = e.publishedAt.getTime();
      if ((from !== undefined && t < from) || (before !== undefined && t >= before)) return;
      matched.push(i);
    });
    if (rank) matched.sort((a, b) => rank[a]! - rank[b]!);
    return result(matched.length, matched.slice(start, start + q.perPage).map((i) => this.entries[i]!));
  }

  /** The chain of versions a document belongs to, oldest first (each one superseded by the next). */
  versionsOf(id: string): CatalogueEntry[] {
    const start = this.get(id);
    if (!start) return [];
    const chain = [start];
    const seen = new Set([start.id]);
    for (let e = start; e.supersedes && !seen.has(e.supersedes); ) {
      e = this.get(e.supersedes)!;
      seen.add(e.id);
      chain.unshift(e);
    }
    for (let e = start; e.supersededBy && !seen.has(e.supersededBy); ) {
      e = this.get(e.supersededBy)!;
      seen.add(e.id);
      chain.push(e);
    }
    return chain;
  }

  feed(group?: string, limit = 50): FeedEvent[] {
    const out: FeedEvent[] = [];
    for (const ev of this.events) {
      if (group && ev.entry.productGroup !== group && ev.replaces?.productGroup !== group) continue;
      out.push(ev);
      if (out.length >= limit) break;
    }
    return out;
  }
}
