// The catalogue's query string, read strictly: a value that is not what the field takes is refused
// with a message naming the field (422), a parameter given twice is a malformed request (400). Nothing
// from the query string ever reaches the database.
import { BadRequest, InvalidInput } from '../errors.js';
import { addDays, parseDay, startOfDay } from '../time/days.js';
import { FILTER_STATUSES, SORT_ORDERS, type FilterStatus, type SortOrder } from './catalogue.js';
import { queryStems } from './tokens.js';

export const PER_PAGE = 20;
const MAX_PAGE = 100_000;

export const messages = {
  repeated: 'catalogue.error.repeated',
  invalid: 'catalogue.error.invalid',
  unknownGroup: 'catalogue.error.unknownGroup',
  dateOrder: 'catalogue.error.dateOrder',
  field: {
    q: 'catalogue.error.q',
    group: 'catalogue.error.group',
    ics: 'catalogue.error.ics',
    status: 'catalogue.error.status',
    from: 'catalogue.error.date',
    to: 'catalogue.error.date',
    sort: 'catalogue.error.sort',
    page: 'catalogue.error.page',
  },
} as const;

/** What the form shows again: the values as typed. */
export interface FilterValues {
  q: string;
  group: string;
  ics: string;
  status: string;
  from: string;
  to: string;
  sort: string;
  page: string;
}

export interface Filters {
  values: FilterValues;
  q: string;
  stems: string[];
  group?: string;
  ics?: string;
  status?: FilterStatus;
  from?: Date;
  /** The day after `to`, at midnight in committee time: dates are whole days, inclusive. */
  before?: Date;
  sort: SortOrder;
  page: number;
}

const FIELDS = ['q', 'group', 'ics', 'status', 'from', 'to', 'sort', 'page'] as const;
type Field = (typeof FIELDS)[number];

/** Reads the catalogue's filters; `knownGroups` are the product group codes that exist. */
export function parseFilters(query: Record<string, unknown>, knownGroups: readonly string[]): Filters {
  const raw = {} as Record<Field, string>;
  for (const f of FIELDS) {
    const v = query[f];
    if (Array.isArray(v)) throw new BadRequest(messages.repeated, { field: f }, { [f]: messages.repeated });
    if (v !== undefined && typeof v !== 'string') throw new BadRequest(messages.invalid, { field: f }, { [f]: messages.field[f] });
    raw[f] = (v ?? '').trim();
  }
  const errors: Partial<Record<Field, string>> = {};
  const out: Filters = { values: { ...raw }, q: raw.q, stems: [], sort: 'title', page: 1 };

  if (raw.q.length > 200) errors.q = messages.field.q;
  else out.stems = queryStems(raw.q);

  if (raw.group) {
    if (!/^[a-z0-9-]{2,40}$/.test(raw.group)) errors.group = messages.field.group;
    else if (!knownGroups.includes(raw.group)) errors.group = messages.unknownGroup;
    else out.group = raw.group;
  }
  if (raw.ics) {
    if (/^\d{2}(\.\d{1,3}(\.\d{1,2})?)?$/.test(raw.ics)) out.ics = raw.ics;
    else errors.ics = messages.field.ics;
  }
  if (raw.status) {
    if ((FILTER_STATUSES as readonly string[]).includes(raw.status)) out.status = raw.status as FilterStatus;
    else errors.status = messages.field.status;
  }
  if (raw.from) {
    const d = parseDay(raw.from);
    if (d) out.from = startOfDay(d);
    else errors.from = messages.field.from;
  }
  if (raw.to) {
    const d = parseDay(raw.to);
    if (d) out.before = startOfDay(addDays(d, 1));
    else errors.to = messages.field.to;
  }
  if (out.from && out.before && out.from.getTime() >= out.before.getTime()) errors.to = messages.dateOrder;
  if (raw.sort) {
    if ((SORT_ORDERS as readonly string[]).includes(raw.sort)) out.sort = raw.sort as SortOrder;
    else errors.sort = messages.field.sort;
  }
  if (raw.page) {
    const n = /^\d{1,6}$/.test(raw.page) ? Number(raw.page) : NaN;
    if (Number.isInteger(n) && n >= 1 && n <= MAX_PAGE) out.page = n;
    else errors.page = messages.field.page;
  }

  const first = Object.entries(errors)[0];
  if (first) throw new InvalidInput(first[1]!, { field: first[0], value: raw[first[0] as Field] }, errors as Record<string, string>);
  return out;
}

/** The query string of a search with some values changed (for pagination and sort links). */
export function searchHref(values: FilterValues, change: Partial<FilterValues> = {}): string {
  const all = { ...values, ...change };
  const params = new URLSearchParams();
  for (const f of FIELDS) {
    const v = all[f];
    if (!v || (f === 'page' && v === '1') || (f === 'sort' && v === 'title')) continue;
    params.set(f, v);
  }
  const s = params.toString();
  return s ? `/catalogue?${s}` : '/catalogue';
}
