// The one Content-Disposition of every download (drafts, redlines, published PDFs, comment summaries,
// requirement tables): the real name in filename* (RFC 6266 / RFC 8187) and, for clients that read only
// filename, an ASCII transliteration of it — «ST SG 12-2027.pdf», never «?? ?? 12-2027.pdf». The header
// itself is written by the content-disposition package (the one Express uses).
import { create } from 'content-disposition';
import type { Response } from 'express';

// ГОСТ 7.79-2000 (system B) without diacritics, Belarusian і and ў included.
const LATIN: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'yo', ж: 'zh', з: 'z', и: 'i', й: 'j', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o',
  п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'x', ц: 'c', ч: 'ch', ш: 'sh', щ: 'shh', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu',
  я: 'ya', і: 'i', ў: 'u',
};

/** The name in printable ASCII: Cyrillic transliterated, dashes as «-», anything else that is not ASCII as «_». */
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
    .replace(/\s+/g, ' ')
    .trim();
  return out || 'document';
}

/** `attachment; filename="ST SG 12-2027.pdf"; filename*=UTF-8''%D0%A1%D0%A2…`; control and path characters become spaces. */
export function contentDisposition(fileName: string): string {
  const clean = fileName.replace(/[\u0000-\u001f\u007f/\\]+/g, ' ').trim() || 'document';
  return create(clean, { type: 'attachment', fallback: asciiFileName(clean) });
}

/** Marks the response as a download of that name (and of that type, when given). */
export function sendAsAttachment(res: Response, fileName: string, type?: string): void {
  if (type) res.type(type);
  res.setHeader('Content-Disposition', contentDisposition(fileName));
}
