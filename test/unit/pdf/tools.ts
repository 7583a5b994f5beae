// Reading PDFs the way a person's tools do: Debian's poppler-utils (pdftotext, pdffonts, pdfinfo and
// its structure tree, pdftohtml for the outline). Each helper writes the file to a temporary folder once.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** An element of the structure tree: its type, nesting, attributes («<id>», «/Scope /Column») and own text. */
export interface StructEntry { type: string; level: number; attrs: string; text: string }

export class PdfFile {
  readonly dir = mkdtempSync(path.join(os.tmpdir(), 'accord-pdf-'));
  readonly path: string;
  private pageTexts?: string[];
  private tree?: StructEntry[];

  constructor(readonly bytes: Buffer) {
    this.path = path.join(this.dir, 'file.pdf');
    writeFileSync(this.path, bytes);
  }

  private run(tool: string, args: string[]): string {
    return execFileSync(tool, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  }

  info(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const line of this.run('pdfinfo', [this.path]).split('\n')) {
      const m = /^([^:]+):\s*(.*)$/.exec(line);
      if (m) out[m[1]!.trim()] = m[2]!.trim();
    }
    return out;
  }

  pageCount(): number {
    return Number(this.info().Pages);
  }

  /** pdftotext -layout of the whole file. */
  text(): string {
    return this.run('pdftotext', ['-layout', '-enc', 'UTF-8', this.path, '-']);
  }

  /** pdftotext -layout page by page (1-based page n is pages()[n - 1]). */
  pages(): string[] {
    this.pageTexts ??= this.text().split('\f').slice(0, this.pageCount());
    return this.pageTexts;
  }

  /** pdffonts rows: name, type, embedded. */
  fonts(): { name: string; type: string; embedded: boolean; unicode: boolean }[] {
    return this.run('pdffonts', [this.path]).split('\n').slice(2).filter((l) => l.trim()).map((l) => {
      const cols = l.trim().split(/\s+/);
      // name, type words…, encoding, emb, sub, uni, object, id
      const [emb, , uni] = cols.slice(-5, -2);
      return { name: cols[0]!, type: cols.slice(1, -6).join(' '), embedded: emb === 'yes', unicode: uni === 'yes' };
    });
  }

  /** The bookmarks, from pdftohtml's XML: title, target page and nesting depth. */
  outline(): { title: string; page: number; depth: number }[] {
    const xml = this.run('pdftohtml', ['-xml', '-i', '-q', '-stdout', this.path]);
    const start = xml.indexOf('<outline>');
    if (start < 0) return [];
    const items: { title: string; page: number; depth: number }[] = [];
    let depth = -1;
    const re = /<outline>|<\/outline>|<item page="(\d+)">([^<]*)<\/item>/g;
    re.lastIndex = start;
    for (let m = re.exec(xml); m; m = re.exec(xml)) {
      if (m[0] === '<outline>') depth++;
      else if (m[0] === '</outline>') {
        if (--depth < 0) break;
      } else items.push({ title: decodeXml(m[2]!), page: Number(m[1]), depth });
    }
    return items;
  }

  /** Every word's box per page (pdftotext -bbox): to prove that nothing runs past a margin. */
  words(): { page: number; width: number; height: number; word: string; xMin: number; yMin: number; xMax: number; yMax: number }[] {
    const html = this.run('pdftotext', ['-bbox', this.path, '-']);
    const out: ReturnType<PdfFile['words']> = [];
    let page = 0;
    let width = 0;
    let height = 0;
    const re = /<page width="([\d.]+)" height="([\d.]+)">|<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">([^<]*)<\/word>/g;
    for (let m = re.exec(html); m; m = re.exec(html)) {
      if (m[1]) {
        page++;
        width = Number(m[1]);
        height = Number(m[2]);
      } else out.push({ page, width, height, word: decodeXml(m[7]!), xMin: Number(m[3]), yMin: Number(m[4]), xMax: Number(m[5]), yMax: Number(m[6]) });
    }
    return out;
  }

  /**
   * The structure tree (pdfinfo -struct-text): each element's type, nesting level, attributes (the
   * words after it, «<id>» or «/Scope /Column») and the text of its own marked content.
   */
  structure(withText = true): StructEntry[] {
    if (this.tree) return this.tree;
    // Without the text, pdfinfo answers at once; with it, it takes seconds for a few pages.
    if (!withText) return parseStructure(this.run('pdfinfo', ['-struct', this.path]));
    return (this.tree = parseStructure(this.run('pdfinfo', ['-struct-text', this.path])));
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function parseStructure(listing: string): StructEntry[] {
  const out: StructEntry[] = [];
  // The element that text and attribute lines belong to (an annotation's «Object 12 0» line holds none).
  let owner: StructEntry | undefined;
  for (const line of listing.split('\n')) {
    const t = line.trim();
    if (t.startsWith('"')) { if (owner) owner.text += (owner.text ? ' ' : '') + t.slice(1, -1); }
    else if (t.startsWith('/')) { if (owner) owner.attrs += ` ${t}`; }
    else if (t) {
      const entry = { type: t.split(/[\s:]/)[0]!, level: line.length - line.trimStart().length, attrs: t.replace(/^\S+:?\s*/, ''), text: '' };
      out.push(entry);
      if (entry.type !== 'Object') owner = entry;
    }
  }
  return out;
}

function decodeXml(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-f]+);/gi, (m, e: string) => {
    if (e === 'lt') return '<';
    if (e === 'gt') return '>';
    if (e === 'amp') return '&';
    if (e === 'quot') return '"';
    if (e === 'apos') return "'";
    return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
  });
}

/** Collapses runs of whitespace, for matching text that pdftotext spread out for layout. */
export const squash = (s: string) => s.replace(/\s+/g, ' ').trim();
