// Table rows written as WordprocessingML text, for tables of thousands of rows (the comment template): the
// docx package keeps an object tree of every cell until it writes the file, about a hundred kilobytes a
// row, where the row's XML is a few hundred bytes. The cells are what the docx package writes for a cell
// of one paragraph in the table-text style (server/docx/styles.ts), line breaks as <w:br/>.

/** Characters XML 1.0 cannot hold at all; such a character in a comment is dropped from the Word copy. */
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

const escape = (s: string) => s.replace(NOT_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function cellXml(text: string, width: number, halfPoints: number): string {
  const size = `<w:rPr><w:sz w:val="${halfPoints}"/><w:szCs w:val="${halfPoints}"/></w:rPr>`;
  const runs = text.split(/\r\n?|\n/).map((line, i) => `<w:r>${size}${i > 0 ? '<w:br/>' : ''}<w:t xml:space="preserve">${escape(line)}</w:t></w:r>`).join('');
  return `<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="${width}"/></w:tcPr><w:p><w:pPr><w:pStyle w:val="AccordTableText"/></w:pPr>${runs}</w:p></w:tc>`;
}

/** The rows' XML, each cell as wide as its column (twips), the text in the given size (half-points). */
export function tableRowsXml(rows: readonly (readonly string[])[], widths: readonly number[], halfPoints: number): string {
  return rows.map((r) => `<w:tr>${widths.map((w, i) => cellXml(r[i] ?? '', w, halfPoints)).join('')}</w:tr>`).join('');
}
