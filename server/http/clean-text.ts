// Every text that comes in — form fields, JSON bodies, query strings, the fields of a multipart upload —
// passes here once, before any route sees it: normalised to NFC (so «й» typed two ways is one letter and
// search, comparison and the PDF's fonts see the same characters) and stripped of characters that are
// invisible or would change how the text around them reads — C0 and C1 control characters except tab,
// line feed and carriage return, bidirectional overrides and isolates, zero-width characters and the BOM.
// Stored text and what pages echo of it are therefore free of them (docs/input.md).
import { parse as parseQueryString } from 'node:querystring';

const UNWANTED = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

export function cleanText(s: string): string {
  return s.normalize('NFC').replace(UNWANTED, '');
}

/** Cleans every string in a parsed body or query (objects and arrays walked), keys included. */
export function cleanTexts<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return cleanText(value) as T;
  if (depth > 32 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => cleanTexts(v, depth + 1)) as T;
  const out: Record<string, unknown> = Object.create(Object.getPrototypeOf(value) === null ? null : Object.prototype);
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[cleanText(k)] = cleanTexts(v, depth + 1);
  return out as T;
}

/** Express's "query parser" setting: the simple parser Express uses by default, then cleanTexts. */
export function parseCleanQuery(query: string): Record<string, unknown> {
  return cleanTexts(parseQueryString(query)) as Record<string, unknown>;
}
