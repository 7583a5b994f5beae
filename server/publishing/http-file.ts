// The HTTP of serving one immutable file: validators (ETag, Last-Modified), conditional requests and a
// single byte range (the file's name: server/http/attachment.ts). Pure functions of the request's
// headers; the download route applies them.
import type { IncomingHttpHeaders } from 'node:http';

export type RangeAnswer =
  | { kind: 'whole' }
  | { kind: 'part'; start: number; end: number }
  /** Syntactically wrong, or no byte of it inside the file: 416. */
  | { kind: 'malformed' }
  | { kind: 'unsatisfiable' };

/**
 * `Range: bytes=a-b`, `bytes=a-`, `bytes=-n`. Several ranges in one request are answered with the first
 * one alone (a single-part 206 whose Content-Range says which bytes came): every client that can ask for
 * several ranges reads Content-Range, and PDF viewers ask for one at a time anyway.
 */
export function parseRange(header: string | undefined, size: number): RangeAnswer {
  if (header === undefined) return { kind: 'whole' };
  const m = /^\s*bytes\s*=\s*(.+)$/i.exec(header);
  if (!m) return { kind: 'malformed' };
  const specs = m[1]!.split(',').map((s) => s.trim());
  if (specs.some((s) => !/^(\d{1,15}-\d{0,15}|-\d{1,15})$/.test(s))) return { kind: 'malformed' };
  const first = specs[0]!;
  const [a, b] = first.split('-') as [string, string];
  if (a === '') {
    const suffix = Number(b);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'part', start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(a);
  if (b !== '' && Number(b) < start) return { kind: 'malformed' };
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'part', start, end: b === '' ? size - 1 : Math.min(Number(b), size - 1) };
}

export interface Validators {
  /** A strong validator: the quoted SHA-256 of the bytes. */
  etag: string;
  lastModified: Date;
}

const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

function etagMatches(list: string, etag: string, weak: boolean): boolean {
  if (list.trim() === '*') return true;
  return list.split(',').some((t) => {
    const tag = t.trim();
    return tag === etag || (weak && tag.replace(/^W\//, '') === etag);
  });
}

/** If-None-Match (weak comparison), else If-Modified-Since: the client's copy is current → 304. */
export function notModified(headers: IncomingHttpHeaders, v: Validators): boolean {
  const inm = headers['if-none-match'];
  if (inm !== undefined) return etagMatches(inm, v.etag, true);
  const ims = headers['if-modified-since'];
  if (ims === undefined) return false;
  const t = Date.parse(ims);
  return !Number.isNaN(t) && seconds(v.lastModified) <= Math.floor(t / 1000);
}

/** If-Range: the range applies only if the client's copy is this one (strong comparison). */
export function rangeApplies(headers: IncomingHttpHeaders, v: Validators): boolean {
  const raw = headers['if-range'];
  if (raw === undefined) return true;
  const ifRange = String(raw).trim();
  if (ifRange.startsWith('"') || ifRange.startsWith('W/')) return ifRange === v.etag;
  const t = Date.parse(ifRange);
  return !Number.isNaN(t) && Math.floor(t / 1000) === seconds(v.lastModified);
}
