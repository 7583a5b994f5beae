// The HTTP of serving one immutable file: validators (ETag, Last-Modified), conditional requests, a
// single byte range, and a Content-Disposition that carries a Cyrillic name. Pure functions of the
// request's headers; the download route applies them.
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

// ГОСТ 7.79-2000 (system B) without diacritics: the ASCII fallback for clients without RFC 5987.
const LATIN: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'yo', ж: 'zh', з: 'z', и: 'i', й: 'j', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o',
  п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'x', ц: 'c', ч: 'ch', ш: 'sh', щ: 'shh', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu',
  я: 'ya', і: 'i', ў: 'u',
};

export function asciiFileName(name: string): string {
  const out = [...name]
    .map((ch) => {
      const lower = ch.toLowerCase();
      const t = LATIN[lower];
      if (t === undefined) return ch;
      return ch === lower ? t : t.charAt(0).toUpperCase() + t.slice(1);
    })
    .join('')
    .replace(/[—–]/g, '-')
    .replace(/[^\x20-\x7e]/g, '_')
    .replace(/["\\%/:*?<>|;]/g, '_')
    .trim();
  return out || 'document.pdf';
}

/** RFC 5987 value-chars: everything else percent-encoded as UTF-8. */
function rfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `attachment; filename="ST SG 12-2027.pdf"; filename*=UTF-8''%D0%A1%D0%A2…` (RFC 6266). */
export function contentDisposition(fileName: string): string {
  const clean = fileName.replace(/[\u0000-\u001f\u007f/\\]+/g, ' ').trim() || 'document.pdf';
  return `attachment; filename="${asciiFileName(clean)}"; filename*=UTF-8''${rfc5987(clean)}`;
}
