// An uploaded Office file opened safely (docs/comment-import.md; the draft import uses it too, docs/draft-import.md): it must be a zip by its first bytes and
// an Office package by its [Content_Types].xml, whatever its name says. Before anything is inflated the
// sizes the zip declares are added up against a limit; while inflating, the bytes that actually come out
// are counted against the same limit (yauzl also refuses an entry larger than it declared), so a zip bomb
// is stopped at the limit, not at the end of memory. Macros are never run: their part is only noticed.
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { PayloadTooLarge, UnsupportedMediaType } from '../../errors.js';
import { xmlElements } from './xml.js';

export const IMPORT_LIMITS = {
  /** The largest file accepted, bytes. */
  fileBytes: 20 * 1024 * 1024,
  /** The most the whole package may hold once inflated, bytes. */
  unpackedBytes: 80 * 1024 * 1024,
  /** The most parts a package may have. */
  entries: 2000,
  /** The most rows of comments one file may hold. */
  rows: 2000,
};
export type ImportLimits = typeof IMPORT_LIMITS;

export type OfficeKind = 'docx' | 'xlsx';

export interface OfficePackage {
  kind: OfficeKind;
  /** The package carries a macro project (xlsm, docm): it is ignored, and the preview says so. */
  macros: boolean;
  /** The main part (word/document.xml), inflated; spreadsheets are read by exceljs from the file itself. */
  main?: Buffer;
  /** The word-processing parts (word/*.xml: numbering, styles, footnotes, comments…), inflated. */
  wordParts: Map<string, Buffer>;
}

/**
 * The message keys a refusal is told with: `${prefix}.notOffice`, `.tooLarge`, `.unpackedTooLarge`,
 * `.tooManyParts`, `.unreadable` (and the upload's `.noFile`, `.badUpload`), so that each import speaks of
 * what it expects (a table of comments, a draft).
 */
export type MessagePrefix = string;

const MAIN_TYPES: Record<string, OfficeKind> = {
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml': 'docx',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml': 'docx',
  'application/vnd.ms-word.document.macroEnabled.main+xml': 'docx',
  'application/vnd.ms-word.template.macroEnabledTemplate.main+xml': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml': 'xlsx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml': 'xlsx',
  'application/vnd.ms-excel.sheet.macroEnabled.main+xml': 'xlsx',
  'application/vnd.ms-excel.template.macroEnabled.main+xml': 'xlsx',
};

const notOffice = (prefix: MessagePrefix) => new UnsupportedMediaType(`${prefix}.notOffice`);
const megabytes = (n: number) => Math.round(n / (1024 * 1024));

/** Reads a stream to its end, refusing it once `budget.left` bytes have come out. */
async function inflate(stream: Readable, budget: { left: number; limit: number }, prefix: MessagePrefix): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    budget.left -= chunk.length;
    if (budget.left < 0) {
      stream.destroy();
      throw new PayloadTooLarge(`${prefix}.unpackedTooLarge`, { limit: megabytes(budget.limit) });
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The entries of the zip, read from its central directory (nothing inflated yet). */
async function entriesOf(bytes: Buffer, limits: ImportLimits, prefix: MessagePrefix): Promise<{ zip: yauzl.ZipFile; entries: yauzl.Entry[] }> {
  if (bytes.length < 4 || bytes.readUInt32LE(0) !== 0x04034b50) throw notOffice(prefix);
  let zip: yauzl.ZipFile;
  const entries: yauzl.Entry[] = [];
  try {
    zip = await yauzl.fromBufferPromise(bytes, { lazyEntries: true, autoClose: false, validateEntrySizes: true });
    for await (const entry of zip.eachEntry()) {
      entries.push(entry);
      if (entries.length > limits.entries) throw new PayloadTooLarge(`${prefix}.tooManyParts`, { limit: limits.entries });
    }
  } catch (err) {
    if (err instanceof PayloadTooLarge) throw err;
    throw notOffice(prefix);
  }
  const declared = entries.reduce((sum, e) => sum + e.uncompressedSize, 0);
  if (declared > limits.unpackedBytes) throw new PayloadTooLarge(`${prefix}.unpackedTooLarge`, { limit: megabytes(limits.unpackedBytes) });
  return { zip, entries };
}

/** What [Content_Types].xml says the package is, and where its main part is. */
function mainPartOf(contentTypes: Buffer, prefix: MessagePrefix): { kind: OfficeKind; part: string; macros: boolean } {
  let found: { kind: OfficeKind; part: string } | undefined;
  let macros = false;
  for (const el of xmlElements(contentTypes.toString('utf8'), ['Override', 'Default'], prefix)) {
    const type = el.attributes.ContentType ?? '';
    if (type === 'application/vnd.ms-office.vbaProject' || type.includes('macroEnabled')) macros = true;
    const kind = MAIN_TYPES[type];
    if (kind && el.attributes.PartName && !found) found = { kind, part: el.attributes.PartName.replace(/^\//, '') };
  }
  if (!found) throw notOffice(prefix);
  return { ...found, macros };
}

/**
 * Opens an uploaded file as an Office package: refuses what is no zip, no Office file, or more than the
 * limits once inflated. Every part is inflated under the limit (so that exceljs, which inflates the
 * spreadsheet again, is known to stay within it); a document's main part is kept.
 */
export async function openOfficePackage(bytes: Buffer, limits: ImportLimits = IMPORT_LIMITS, prefix: MessagePrefix = 'commentImport'): Promise<OfficePackage> {
  if (bytes.length > limits.fileBytes) throw new PayloadTooLarge(`${prefix}.tooLarge`, { limit: megabytes(limits.fileBytes) });
  const { zip, entries } = await entriesOf(bytes, limits, prefix);
  const budget = { left: limits.unpackedBytes, limit: limits.unpackedBytes };
  const parts = new Map<string, Buffer>();
  try {
    for (const entry of entries) {
      if (entry.fileName.endsWith('/')) continue;
      const body = await inflate(await zip.openReadStreamPromise(entry), budget, prefix);
      // Only what may be needed is kept: the content types, and the parts a word-processing main part can be.
      if (entry.fileName === '[Content_Types].xml' || /^word\/[^/]+\.xml$/.test(entry.fileName)) parts.set(entry.fileName, body);
      else if (/(^|\/)vbaProject\.bin$/i.test(entry.fileName)) parts.set(entry.fileName, Buffer.alloc(0));
    }
  } catch (err) {
    if (err instanceof PayloadTooLarge) throw err;
    // yauzl's check of an entry that inflates to more than it declared: a zip bomb that lies about its size.
    if (/too many bytes/i.test((err as Error).message)) throw new PayloadTooLarge(`${prefix}.unpackedTooLarge`, { limit: megabytes(limits.unpackedBytes) });
    throw notOffice(prefix);
  } finally {
    zip.close();
  }
  const contentTypes = parts.get('[Content_Types].xml');
  if (!contentTypes) throw notOffice(prefix);
  const main = mainPartOf(contentTypes, prefix);
  const macros = main.macros || [...parts.keys()].some((name) => /(^|\/)vbaProject\.bin$/i.test(name));
  if (main.kind === 'docx' && !parts.has(main.part)) throw notOffice(prefix);
  const wordParts = new Map([...parts].filter(([name]) => name.startsWith('word/')));
  return { kind: main.kind, macros, main: main.kind === 'docx' ? parts.get(main.part) : undefined, wordParts };
}
