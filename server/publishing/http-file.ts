// The HTTP of serving one immutable file: validators (ETag, Last-Modified), preconditions, conditional
// requests and a byte range (the file's name: server/http/attachment.ts). Pure functions of the request's
// headers; the download route applies them. Range and If-None-Match/If-Modified-Since are read by the
// libraries Express itself serves files with (range-parser, fresh).
import type { IncomingHttpHeaders } from 'node:http';
import fresh from 'fresh';
import { combineRanges, parse as parseRange } from 'range-parser';

export interface Validators {
  /** A strong validator: the quoted SHA-256 of the bytes. */
  etag: string;
  lastModified: Date;
}

/** What a GET or HEAD of the file gets, by RFC 9110 §13.2.2's order of evaluation. */
export type FileAnswer =
  /** If-Match or If-Unmodified-Since is false: 412. */
  | { kind: 'preconditionFailed' }
  /** The client's copy is current: 304. */
  | { kind: 'notModified' }
  /** The whole file: 200. */
  | { kind: 'whole' }
  /** One byte range: 206. */
  | { kind: 'part'; start: number; end: number }
  /** A byte range none of which lies inside the file: 416. */
  | { kind: 'unsatisfiable' };

const seconds = (d: Date) => Math.floor(d.getTime() / 1000);
const httpDate = (s: string | undefined) => (s === undefined ? NaN : Date.parse(s));

/** If-Match: strong comparison, `*` matches any current representation (RFC 9110 §13.1.1). */
function ifMatch(list: string, etag: string): boolean {
  return list.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag === etag;
  });
}

/**
 * The answer to the request's preconditions and Range for a file of `size` bytes.
 *
 * A Range that is not `bytes=…` or does not parse is ignored and the whole file sent (RFC 9110 §14.2:
 * an unknown unit must be, an invalid range may be); ranges that touch or overlap are combined; several
 * ranges that remain apart get the whole file in one 200 rather than a multipart answer, which no PDF
 * reader needs; a range none of which lies inside the file is 416.
 */
export function answerFor(headers: IncomingHttpHeaders, v: Validators, size: number): FileAnswer {
  const im = headers['if-match'];
  if (im !== undefined) {
    if (!ifMatch(im, v.etag)) return { kind: 'preconditionFailed' };
  } else {
    const ius = httpDate(headers['if-unmodified-since']);
    if (!Number.isNaN(ius) && seconds(v.lastModified) > Math.floor(ius / 1000)) return { kind: 'preconditionFailed' };
  }
  if (fresh(headers, { etag: v.etag, 'last-modified': v.lastModified.toUTCString() })) return { kind: 'notModified' };

  const header = headers.range;
  if (header === undefined || !rangeApplies(headers, v)) return { kind: 'whole' };
  const parsed = parseRange(size, header);
  // code bit 1: a range in the set does not parse; the ranges returned are the satisfiable ones.
  if (parsed.type !== 'bytes' || (parsed.code & 1) !== 0) return { kind: 'whole' };
  if (parsed.ranges.length === 0) return { kind: 'unsatisfiable' };
  const ranges = combineRanges(parsed.ranges);
  if (ranges.length !== 1) return { kind: 'whole' };
  return { kind: 'part', start: ranges[0]!.start, end: ranges[0]!.end };
}

/** If-Range: the range applies only if the client's copy is this one (strong comparison). */
function rangeApplies(headers: IncomingHttpHeaders, v: Validators): boolean {
  const raw = headers['if-range'];
  if (raw === undefined) return true;
  const ifRange = String(raw).trim();
  if (ifRange.startsWith('"') || ifRange.startsWith('W/')) return ifRange === v.etag;
  const t = Date.parse(ifRange);
  return !Number.isNaN(t) && Math.floor(t / 1000) === seconds(v.lastModified);
}
