// A Word file whose bytes follow from its content alone (docs/word.md): the `docx` package stamps each part
// of the zip and the document's properties with the moment it packs, and numbers the contents' bookmarks
// from a counter that lives as long as the process. Rewritten here, a published standard's copy is the same
// file whenever and by whichever server it is rendered, so it can carry a strong ETag.
import JSZip from 'jszip';

/** `_TocN` bookmarks numbered 1, 2, … in the order the document first names them, whatever the counter gave. */
export function renumberBookmarks(xml: string): string {
  const ids = new Map<string, number>();
  const next = (n: string) => {
    let id = ids.get(n);
    if (id === undefined) ids.set(n, (id = ids.size + 1));
    return id;
  };
  // A bookmark's id and the number in its name are the counter's one value; the contents name it in a
  // hyperlink's anchor and a PAGEREF field.
  return xml
    .replace(/<w:bookmark(?:Start|End)\b[^>]*>/g, (tag) => tag.replace(/\bw:id="(\d+)"/, (_, n: string) => `w:id="${next(n)}"`))
    .replace(/\b_Toc(\d+)\b/g, (_, n: string) => `_Toc${next(n)}`);
}

/**
 * The package with every part dated `at` (the zip's entries and the core properties' created and modified)
 * and its bookmarks renumbered. Parts other than those two keep their compressed bytes.
 */
export async function stablePackage(bytes: Buffer, at: Date): Promise<Buffer> {
  const zip = await JSZip.loadAsync(bytes);
  const instant = at.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const core = zip.file('docProps/core.xml');
  if (core) zip.file('docProps/core.xml', (await core.async('string')).replace(/(<dcterms:(?:created|modified)\b[^>]*>)[^<]*/g, `$1${instant}`));
  const body = zip.file('word/document.xml');
  if (body) zip.file('word/document.xml', renumberBookmarks(await body.async('string')));
  // The zip stores a DOS date and time, which JSZip writes from the date's UTC fields: the same on every server.
  zip.forEach((_, entry) => {
    entry.date = at;
  });
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', platform: 'DOS' });
}
