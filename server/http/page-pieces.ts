// Pages in pieces (docs/architecture.md, «Large pages»): a block of a page that never changes under its
// key — a revision's rendered text at its edit version, a redline of two revisions at theirs — is kept
// once as UTF-8 bytes with where its marks are, and the page is sent as the bytes rendered for this request
// around the kept ones. No request renders, flattens, encodes, hashes or compresses the kept text again.
import { createHash, randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import type { Response } from 'express';

const markPattern = /<!--mark:([\w-]+)-->/g;

/**
 * A rendered block as its UTF-8 bytes, with where its marks are: mark `names[i]` is the bytes from
 * `starts[i]` to `ends[i]`. Given the person's parts, each mark is replaced by its part (or nothing);
 * given none, the block is sent as rendered.
 */
export class KeptBlock {
  readonly bytes: Buffer;
  readonly names: readonly string[];
  readonly starts: readonly number[];
  readonly ends: readonly number[];
  /** Names the content (part of the page's ETag). */
  readonly hash: string;
  /** CRC-32 of the bytes, for the gzip trailer of a page that contains them. */
  readonly crc: number;
  /** Raw deflate of the bytes ending in a sync flush (byte-aligned, not final), made on first need. */
  deflated?: Buffer;

  constructor(html: string) {
    const names: string[] = [];
    const starts: number[] = [];
    const ends: number[] = [];
    let at = 0;
    let offset = 0;
    for (const m of html.matchAll(markPattern)) {
      offset += Buffer.byteLength(html.slice(at, m.index));
      starts.push(offset);
      offset += m[0].length; // ASCII
      ends.push(offset);
      names.push(m[1]!);
      at = m.index + m[0].length;
    }
    this.bytes = Buffer.from(html);
    this.names = names;
    this.starts = starts;
    this.ends = ends;
    this.hash = createHash('sha1').update(this.bytes).digest('base64');
    this.crc = zlib.crc32(this.bytes);
  }

  /** What the store counts for it. */
  get size(): number {
    return this.bytes.length + (this.deflated?.length ?? 0) + 24 * this.names.length;
  }

  /** The block as a string with the person's parts at its marks (for a render that wants the whole string). */
  text(marks?: Readonly<Record<string, string>>): string {
    if (!marks || !this.names.length) return this.bytes.toString();
    let out = '';
    let from = 0;
    this.names.forEach((name, i) => {
      out += this.bytes.toString('utf8', from, this.starts[i]) + (marks[name] ?? '');
      from = this.ends[i]!;
    });
    return out + this.bytes.toString('utf8', from);
  }
}

/**
 * The kept blocks, least recently used dropped first once they hold more than `limitBytes` (their bytes and
 * compressed bytes). Keys carry what the block shows at its version, so an entry is never stale; any
 * instance renders the same block again from the database.
 */
export class BlockStore {
  private readonly blocks = new Map<string, KeptBlock>();
  private held = 0;

  constructor(readonly limitBytes: number) {}

  get(key: string, render: () => string): KeptBlock {
    const kept = this.blocks.get(key);
    if (kept) {
      this.blocks.delete(key);
      this.blocks.set(key, kept); // most recently used last
      return kept;
    }
    const block = new KeptBlock(render());
    this.blocks.set(key, block);
    this.held += block.size;
    this.trim();
    return block;
  }

  /** The block's compressed bytes, made once and counted. */
  deflated(block: KeptBlock): Buffer {
    if (!block.deflated) {
      const before = block.size;
      block.deflated = zlib.deflateRawSync(block.bytes, { level: 9, finishFlush: zlib.constants.Z_SYNC_FLUSH });
      // Counted only while the store still holds it (it may have been dropped since this request took it).
      if ([...this.blocks.values()].includes(block)) {
        this.held += block.size - before;
        this.trim();
      }
    }
    return block.deflated;
  }

  get bytesHeld(): number {
    return this.held;
  }

  get count(): number {
    return this.blocks.size;
  }

  private trim(): void {
    for (const [key, block] of this.blocks) {
      if (this.held <= this.limitBytes || this.blocks.size <= 1) break;
      this.blocks.delete(key);
      this.held -= block.size;
    }
  }
}

/** Some 170 texts of 600 clauses (about 260 KB, 17 KB compressed), in either language. */
export const keptBlocks = new BlockStore(48 * 2 ** 20);

// Where a kept block goes in the rendered page. The nonce is never sent, so no text on a page can pose as one.
const nonce = randomBytes(12).toString('base64url');
const placeholder = (i: number) => `<!--piece:${nonce}:${i}-->`;

/** The kept blocks one render of a page used, in order, each with the person's parts for its marks. */
export class PagePieces {
  readonly items: { block: KeptBlock; marks?: Readonly<Record<string, string>> }[] = [];

  /** What the block's helper writes into the page in its place. */
  add(block: KeptBlock, marks?: Readonly<Record<string, string>>): string {
    this.items.push({ block, marks });
    return placeholder(this.items.length - 1);
  }
}

/** The key under which a render's pieces travel in its view data (a symbol: no view can print it). */
export const piecesKey = Symbol('page pieces');

interface Piece {
  block: KeptBlock;
  /** The person's part at each of the block's marks ('' where there is none); none: the block as rendered. */
  filled?: string[];
  filledBytes?: number[];
}

const lengthPrefixed = (s: string) => `${s.length}:${s}`;

/**
 * Sends a page rendered with placeholders: the rendered texts around them and the kept blocks in their
 * place, as one buffer. The ETag is made of the rendered texts, the blocks' own hashes and the person's
 * parts, so the kept text is never hashed again; conditional requests (304) and HEAD behave as res.send.
 * With `compress`, a client that takes gzip gets the kept block's compressed bytes, made once, between
 * the rendered texts compressed now — unless the person's parts are inside the block, in which case
 * the compression middleware compresses the page as usual.
 */
export function sendInPieces(res: Response, html: string, pieces: PagePieces, options: { compress: boolean; store?: BlockStore }): void {
  const texts: string[] = [];
  const used: Piece[] = [];
  let at = 0;
  pieces.items.forEach((item, i) => {
    const p = placeholder(i);
    const found = html.indexOf(p, at);
    if (found === -1) return; // the block's output did not reach the page
    texts.push(html.slice(at, found));
    at = found + p.length;
    const { block, marks } = item;
    if (!marks || !block.names.length) return void used.push({ block });
    const filled = block.names.map((n) => marks[n] ?? '');
    used.push({ block, filled, filledBytes: filled.map((f) => (f ? Buffer.byteLength(f) : 0)) });
  });
  texts.push(html.slice(at));

  let total = 0;
  for (const t of texts) total += Buffer.byteLength(t);
  for (const u of used) {
    total += u.block.bytes.length;
    if (!u.filledBytes) continue;
    u.filledBytes.forEach((n, j) => (total += n - (u.block.ends[j]! - u.block.starts[j]!)));
  }

  if (!res.get('Content-Type')) res.type('html');
  if (typeof res.app.get('etag fn') === 'function' && !res.get('ETag')) {
    const hash = createHash('sha1');
    texts.forEach((t, i) => {
      hash.update(lengthPrefixed(t));
      const u = used[i];
      if (u) hash.update(`${u.block.hash}${u.filled ? lengthPrefixed(u.filled.join('\u0000')) : '-'}`);
    });
    res.set('ETag', `W/"${total.toString(16)}-${hash.digest('base64').slice(0, 27)}"`);
  }
  const req = res.req;
  // Nothing to build for a client that has the page already.
  if (req.fresh) {
    res.send(Buffer.alloc(0));
    return;
  }

  if (
    options.compress &&
    req.method === 'GET' &&
    req.headers.range === undefined &&
    res.get('Content-Encoding') === undefined &&
    used.every((u) => !u.filled) &&
    req.acceptsEncodings('gzip') === 'gzip'
  ) {
    res.vary('Accept-Encoding');
    res.set('Content-Encoding', 'gzip');
    res.send(gzipped(texts, used, total, options.store ?? keptBlocks));
    return;
  }

  const out = Buffer.allocUnsafe(total);
  let off = 0;
  texts.forEach((t, i) => {
    off += out.write(t, off);
    const u = used[i];
    if (!u) return;
    const { bytes, starts, ends } = u.block;
    if (!u.filled) {
      off += bytes.copy(out, off);
      return;
    }
    let from = 0;
    starts.forEach((start, j) => {
      off += bytes.copy(out, off, from, start);
      from = ends[j]!;
      if (u.filledBytes![j]) off += out.write(u.filled![j]!, off);
    });
    off += bytes.copy(out, off, from);
  });
  res.send(out);
}

/**
 * One gzip member (RFC 1952) whose deflate data is the rendered texts, each compressed now and ended by
 * a sync flush, and the kept blocks' compressed bytes between them (also ended by a sync flush); the last
 * text ends the stream. The CRC-32 of the whole is combined from the parts' without reading the blocks.
 */
function gzipped(texts: string[], used: Piece[], total: number, store: BlockStore): Buffer {
  const parts: Buffer[] = [Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3])];
  let crc = 0;
  texts.forEach((t, i) => {
    const last = i === texts.length - 1;
    parts.push(zlib.deflateRawSync(t, { finishFlush: last ? zlib.constants.Z_FINISH : zlib.constants.Z_SYNC_FLUSH }));
    crc = zlib.crc32(t, crc);
    const u = used[i];
    if (!u) return;
    parts.push(store.deflated(u.block));
    crc = crc32Combine(crc, u.block.crc, u.block.bytes.length);
  });
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(total % 2 ** 32, 4);
  parts.push(trailer);
  return Buffer.concat(parts);
}

// --- CRC-32 of two strings joined, from the CRC-32 of each ---------------------------------------------
// CRC-32 is the remainder of the message (as a polynomial over GF(2), bits reflected) modulo P; joining B
// after A multiplies A's remainder by x^(8·|B|) and adds B's. Polynomials are 32-bit numbers, x^0 the top bit.

const P = 0xedb88320;

/** a·b mod P. */
function mulModP(a: number, b: number): number {
  let product = 0;
  for (let bit = 0x80000000; bit !== 0; bit >>>= 1) {
    if (a & bit) product ^= b;
    b = b & 1 ? (b >>> 1) ^ P : b >>> 1;
  }
  return product >>> 0;
}

/** x^(2^k) mod P for k = 0…31. */
const xToPowerOfTwo: number[] = [];
for (let k = 0, p = 0x40000000 /* x^1 */; k < 32; k++, p = mulModP(p, p)) xToPowerOfTwo.push(p);

/** x^(8·bytes) mod P. */
function shiftFor(bytes: number): number {
  let p = 0x80000000; // x^0
  for (let k = 3, n = bytes; n > 0; n = Math.floor(n / 2), k++) if (n % 2) p = mulModP(xToPowerOfTwo[k % 32]!, p);
  return p;
}

/** CRC-32 of A followed by B, given CRC-32 of A, CRC-32 of B and the length of B in bytes. */
export function crc32Combine(crcA: number, crcB: number, lengthB: number): number {
  return (mulModP(shiftFor(lengthB), crcA >>> 0) ^ crcB) >>> 0;
}
