// The published catalogue as an in-memory structure: built once from the stored documents whenever the
// catalogue changes, then searched without touching the database. Pure: records in, answers out.
//
// Positions are in Russian title order. Each stem has a posting list (sorted positions); a stem found in
// many documents, each product group and each status also has a bitset (one bit a document). A query
// ANDs the bitsets of its terms (n/32 words each), counts the matches by popcount and walks the bits
// only as far as the page it shows, so its cost hardly grows with the catalogue. Only the ICS prefix
// and the dates are tested document by document, and only a non-default order sorts the matches.
// The entries themselves are read from the records in entries.ts; the bitsets are in bitsets.ts.
import { bitsOf, eachBit, EMPTY, popcount } from './bitsets.js';
import { CATALOGUE_STATUSES, toEntry, type CatalogueEntry, type CatalogueStatus, type FeedEvent, type FilterStatus, type PublishedRecord } from './entries.js';
import { inForceSomewhere } from './country-status.js';
import type { Day } from '../time/days.js';
import { matchesAsPrefix } from './tokens.js';

export {
  CATALOGUE_STATUSES, FILTER_STATUSES, PUBLIC_STATES,
  type CatalogueEntry, type CatalogueStatus, type FeedEvent, type FeedEventKind, type FilterStatus, type PublishedRecord,
} from './entries.js';

export const SORT_ORDERS = ['title', 'designation', 'date'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

export interface SearchQuery {
  /** Stems from queryStems(); all must match. */
  stems: readonly string[];
  group?: string;
  /** ICS prefix: «31» finds 31.200 and 31.080.01. */
  ics?: string;
  status?: FilterStatus;
  /** The day the query is made on: whether a standard is in force yet depends on it. */
  today?: Day;
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

const ruCollator = new Intl.Collator('ru', { sensitivity: 'base' });
const enCollator = new Intl.Collator('en', { sensitivity: 'base' });
const designationCollator = new Intl.Collator('ru', { numeric: true, sensitivity: 'base' });

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

/** The entries of the records, in Russian title order, linked only to versions that are in the catalogue. */
function catalogueEntries(records: readonly PublishedRecord[]): CatalogueEntry[] {
  const entries = records.map(toEntry).filter((e): e is CatalogueEntry => !!e);
  const ids = new Set(entries.map((e) => e.id));
  for (const e of entries) {
    if (e.supersedes && !ids.has(e.supersedes)) e.supersedes = null;
    if (e.supersededBy && !ids.has(e.supersededBy)) e.supersededBy = null;
    if (e.supersededBy) e.status = 'superseded';
  }
  entries.sort((a, b) => ruCollator.compare(a.sortKey || a.titles.ru, b.sortKey || b.titles.ru) || designationCollator.compare(a.designation, b.designation));
  return entries;
}

/** The positions of the entries that have each search token, and each product group. */
function positionLists(entries: readonly CatalogueEntry[]): { tokens: Map<string, number[]>; groups: Map<string, number[]> } {
  const tokens = new Map<string, number[]>();
  const groups = new Map<string, number[]>();
  entries.forEach((e, i) => {
    for (const t of new Set(e.tokens)) {
      const list = tokens.get(t);
      if (list) list.push(i);
      else tokens.set(t, [i]);
    }
    const g = groups.get(e.productGroup);
    if (g) g.push(i);
    else groups.set(e.productGroup, [i]);
  });
  return { tokens, groups };
}

/** Each position's rank in the given order (ties in title order). */
function rankBy(entries: readonly CatalogueEntry[], compare: (a: CatalogueEntry, b: CatalogueEntry) => number): Uint32Array {
  const order = entries.map((_, i) => i).sort((a, b) => compare(entries[a]!, entries[b]!) || a - b);
  const rank = new Uint32Array(entries.length);
  order.forEach((pos, r) => (rank[pos] = r));
  return rank;
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
    const entries = catalogueEntries(records);
    this.entries = entries;
    entries.forEach((e, i) => this.byId.set(e.id, i));

    const lists = positionLists(entries);
    this.words = Math.ceil(entries.length / 32);
    const denseFrom = Math.max(16, entries.length >> 6);
    for (const [t, list] of lists.tokens) {
      this.postings.set(t, Uint32Array.from(list));
      if (list.length >= denseFrom) this.dense.set(t, bitsOf(list, this.words));
    }
    for (const [g, list] of lists.groups) this.groups.set(g, bitsOf(list, this.words));
    for (const status of CATALOGUE_STATUSES) {
      this.statuses.set(status, bitsOf(entries.flatMap((e, i) => (e.status === status ? [i] : [])), this.words));
    }
    this.everyone = bitsOf(entries.map((_, i) => i), this.words);
    this.vocabulary = [...lists.tokens.keys()].sort();

    this.rank = {
      en: rankBy(entries, (a, b) => enCollator.compare(a.titles.en, b.titles.en)),
      designation: rankBy(entries, (a, b) => designationCollator.compare(a.designation, b.designation)),
      date: rankBy(entries, (a, b) => b.publishedAt.getTime() - a.publishedAt.getTime()),
    };
    this.events = this.feedEvents();
  }

  /** Each publication, amendment and withdrawal, newest first. */
  private feedEvents(): FeedEvent[] {
    const events: FeedEvent[] = [];
    for (const e of this.entries) {
      const replaces = e.supersedes ? this.get(e.supersedes) : undefined;
      events.push(replaces ? { kind: 'amended', at: e.publishedAt, entry: e, replaces } : { kind: 'published', at: e.publishedAt, entry: e });
      if (e.status === 'withdrawn' && e.withdrawal) events.push({ kind: 'withdrawn', at: e.withdrawal.recordedAt, entry: e });
    }
    return events.sort((a, b) => b.at.getTime() - a.at.getTime());
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

  /** The documents every term of the query matches (the bitset tests only: stems, group, status). */
  private matching(q: SearchQuery): Uint32Array {
    let bits: Uint32Array | undefined;
    const and = (b: Uint32Array) => {
      if (!bits) bits = b.slice();
      else for (let w = 0; w < this.words; w++) bits[w]! &= b[w]!;
    };
    for (const stem of q.stems) and(this.withStem(stem));
    if (q.group) and(this.groups.get(q.group) ?? new Uint32Array(this.words));
    // "adopted" and "in-force" are both the stored "in-force"; search() tells them apart by the day.
    if (q.status) and(this.statuses.get(q.status === 'adopted' ? 'in-force' : q.status)!);
    return bits ?? this.everyone;
  }

  search(q: SearchQuery): SearchResult {
    const matches = this.matching(q);
    const start = (q.page - 1) * q.perPage;
    const rank = q.sort === 'designation' ? this.rank.designation : q.sort === 'date' ? this.rank.date : q.locale === 'en' ? this.rank.en : undefined;
    const from = q.from?.getTime();
    const before = q.before?.getTime();
    const byDay = q.today !== undefined && (q.status === 'adopted' || q.status === 'in-force') ? { today: q.today, inForce: q.status === 'in-force' } : undefined;
    const tested = q.ics !== undefined || from !== undefined || before !== undefined || byDay !== undefined;
    const result = (total: number, items: CatalogueEntry[]) => ({ total, page: q.page, pages: Math.max(1, Math.ceil(total / q.perPage)), items });

    if (!rank && !tested) {
      // The usual case: count, then walk only to the page asked for.
      let total = 0;
      for (let w = 0; w < this.words; w++) total += popcount(matches[w]!);
      return result(total, this.pageOf(matches, start, q.perPage));
    }

    const matched: number[] = [];
    eachBit(matches, (i) => {
      const e = this.entries[i]!;
      if (q.ics && !e.ics.startsWith(q.ics)) return;
      const t = e.publishedAt.getTime();
      if ((from !== undefined && t < from) || (before !== undefined && t >= before)) return;
      // No entry into force recorded: in force as published (what the catalogue said before dates were kept).
      if (byDay && e.entryIntoForce.length && inForceSomewhere(e, byDay.today) !== byDay.inForce) return;
      matched.push(i);
    });
    if (rank) matched.sort((a, b) => rank[a]! - rank[b]!);
    return result(matched.length, matched.slice(start, start + q.perPage).map((i) => this.entries[i]!));
  }

  /** The matches from the start-th on, at most perPage of them, in title order: whole words are skipped. */
  private pageOf(matches: Uint32Array, start: number, perPage: number): CatalogueEntry[] {
    const items: CatalogueEntry[] = [];
    let seen = 0;
    for (let w = 0; w < this.words && items.length < perPage; w++) {
      let x = matches[w]!;
      const inWord = popcount(x);
      if (seen + inWord <= start) {
        seen += inWord;
        continue;
      }
      while (x !== 0 && items.length < perPage) {
        const low = x & -x;
        if (seen++ >= start) items.push(this.entries[w * 32 + 31 - Math.clz32(low)]!);
        x ^= low;
      }
    }
    return items;
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
