// What of a user's string reaches a PDF: shared by line breaking (text.ts) and the glyph check (glyphs.ts),
// so that the check looks at exactly the characters that would be printed.

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00ad\u200b\u2060\ufeff\ufff9-\ufffb]/g;
const SPACES = /[\t\n\r\u2028\u2029 \u1680\u2000-\u200a\u202f\u205f\u3000]+/g;

/** What may be printed of a user's string: no control characters, each run of whitespace one space. */
export function normalizeText(text: string): string {
  return text.replace(CONTROL, '').replace(SPACES, ' ');
}
