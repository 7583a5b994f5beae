// Long lists shown a page at a time (the administrator's people, the committee's documents, a document's
// history): the page asked for, the rows it holds, and where it stands — «51–100 из 2 635», the pages either
// side and numbered links — each link keeping the list's filters, so that the pages work as plain links and
// GET forms, without JavaScript. The comments summary pages its own way (server/comments/pages.ts).
import { InvalidInput } from '../errors.js';

/** A page number as a query string carries it: a whole number from 1 (six digits at most). */
export const PAGE_PATTERN = /^[1-9]\d{0,5}$/;

export const messages = { badPage: 'paging.badPage', badPageSize: 'paging.badPageSize' } as const;

/**
 * The page asked for in the query, from 1; none is the first. Anything else — an empty value, a word, 0, a
 * negative or fractional number, the parameter given twice — is refused, naming the field.
 */
export function pageParam(value: unknown): number {
  if (value === undefined) return 1;
  if (typeof value !== 'string' || !PAGE_PATTERN.test(value)) throw new InvalidInput(messages.badPage, {}, { page: messages.badPage });
  return Number(value);
}

/** Rows a page of a JSON list holds unless the caller asks (pageSize), and the most it may ask for. */
export const API_PAGE_SIZE = 100;
export const API_MAX_PAGE_SIZE = 500;
/** A JSON list's pageSize as a query string carries it: 1 to API_MAX_PAGE_SIZE (the OpenAPI documents say so). */
export const API_PAGE_SIZE_PATTERN = /^([1-9]\d?|[1-4]\d\d|500)$/;

/** How many rows a JSON caller asks for a page (1 to `max`), `byDefault` when it does not say. */
export function pageSizeParam(value: unknown, byDefault: number, max: number): number {
  if (value === undefined) return byDefault;
  const n = typeof value === 'string' && /^[1-9]\d{0,3}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= max)) throw new InvalidInput(messages.badPageSize, { max }, { pageSize: messages.badPageSize });
  return n;
}

/** The rows of one page of a list of `total`. */
export interface PageSlice {
  total: number;
  /** The page shown, from 1: the one asked for, or the last when that lies past the end. */
  page: number;
  pages: number;
  pageSize: number;
  skip: number;
}

/**
 * Which rows page `page` holds. A page past the last shows the last (a link kept from when the list was
 * longer still leads to its end, and says which page it is); an empty list has one, empty, page.
 */
export function sliceOf(total: number, page: number, pageSize: number): PageSlice {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const current = Math.min(Math.max(1, page), pages);
  return { total, page: current, pages, pageSize, skip: (current - 1) * pageSize };
}

/**
 * One page of a list read from the database: the count and the page asked for at once; only a page past
 * the end is read again, as the last.
 */
export async function readPage<T>(count: Promise<number>, read: (skip: number, limit: number) => Promise<T[]>, page: number, pageSize: number): Promise<{ rows: T[]; slice: PageSlice }> {
  const [total, rows] = await Promise.all([count, read((page - 1) * pageSize, pageSize)]);
  const slice = sliceOf(total, page, pageSize);
  return { rows: slice.page === page ? rows : await read(slice.skip, pageSize), slice };
}

export interface Pager {
  total: number;
  page: number;
  pages: number;
  /** The first and last row shown, counted from 1 (0 and 0 for an empty list). */
  from: number;
  to: number;
  several: boolean;
  previous?: string;
  next?: string;
  /** The first and last pages and those near this one, with a gap before a link that skips some. */
  links: { n: number; href: string; current: boolean; gap: boolean }[];
}

/** Where the page stands in its list, with links made by `href` (which keeps the filters). */
export function pagerOf(slice: PageSlice, href: (page: number) => string): Pager {
  const { total, page, pages, pageSize } = slice;
  const near = new Set([1, pages, page - 2, page - 1, page, page + 1, page + 2].filter((n) => n >= 1 && n <= pages));
  const links: Pager['links'] = [];
  let last = 0;
  for (const n of [...near].sort((a, b) => a - b)) {
    links.push({ n, href: href(n), current: n === page, gap: n - last > 1 });
    last = n;
  }
  return {
    total,
    page,
    pages,
    from: total ? (page - 1) * pageSize + 1 : 0,
    to: Math.min(total, page * pageSize),
    several: pages > 1,
    previous: page > 1 ? href(page - 1) : undefined,
    next: page < pages ? href(page + 1) : undefined,
    links,
  };
}

/** `path` with the given query parameters, empty ones left out, and the page unless it is the first. */
export function listHref(path: string, params: Record<string, string | undefined>, page: number): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  if (page > 1) q.set('page', String(page));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}
