import assert from 'node:assert/strict';
import { PassThrough, Writable } from 'node:stream';
import { columnName, writeXlsx, xmlText, type XlsxBook, type XlsxRow } from '../../../server/common/office/xlsx-writer.js';
import { openpyxlJson, zipEntry } from '../../helpers/office.js';
import { xmllint } from '../../helpers/xmllint.js';

/** What openpyxl reads of the layout and the cells: widths, heights, styles, frozen pane, printing. */
const layoutOf = (bytes: Buffer) => openpyxlJson<any>(bytes, [
  'wb = openpyxl.load_workbook(sys.argv[1])',
  'def sheet(ws):',
  '  return {"name": ws.title, "freeze": ws.freeze_panes, "widths": [ws.column_dimensions[c].width for c in "ABC"],',
  '    "rows": [[c.value for c in r] for r in ws.iter_rows()], "types": [[c.data_type for c in r] for r in ws.iter_rows()],',
  '    "heights": [ws.row_dimensions[i].height for i in range(1, ws.max_row + 1)],',
  '    "bold": [c.font.b for c in ws[1]], "wrap": [bool(c.alignment.wrap_text) for c in ws[ws.max_row]], "top": [c.alignment.vertical for c in ws[ws.max_row]],',
  '    "titles": ws.print_title_rows, "orientation": ws.page_setup.orientation, "paper": ws.page_setup.paperSize, "fitWidth": ws.page_setup.fitToWidth,',
  '    "header": ws.oddHeader.left.text, "footer": ws.oddFooter.center.text}',
  'print(json.dumps({"title": wb.properties.title, "creator": wb.properties.creator, "sheets": [sheet(ws) for ws in wb.worksheets]}, ensure_ascii=False))',
]);

async function bytesOf(book: XlsxBook): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const out = new PassThrough();
  out.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise((resolve) => out.on('end', resolve));
  await writeXlsx(out, book);
  await ended;
  return Buffer.concat(chunks);
}

const book = (rows: XlsxBook['sheets'][number]['rows']): XlsxBook => ({
  title: 'Замечания & ответы',
  creator: 'Accord',
  sheets: [
    { name: 'Comments', widths: [8, 50, 23], header: ['MB/NC', 'Comments', 'Number'], rows, wrap: true, print: { landscape: true, header: 'ГОСТ 1 & 2' } },
    { name: 'About', widths: [32, 60], rows: [[{ cells: ['О таблице'] }]] },
  ],
});

describe('the XLSX writer', () => {
  it('names columns as spreadsheets do and writes text XML can carry', () => {
    assert.deepEqual([0, 8, 25, 26, 27, 701, 702].map(columnName), ['A', 'I', 'Z', 'AA', 'AB', 'ZZ', 'AAA']);
    assert.equal(xmlText('a < b & "c" > d'), 'a &lt; b &amp; &quot;c&quot; &gt; d');
    assert.equal(xmlText('звонок\u0007 и\u0000 таб\tконец\n'), 'звонок и таб\tконец\n');
  });

  it('writes a workbook that openpyxl reads: the header bold and frozen, text as typed, heights, widths and printing', async () => {
    const rows: XlsxRow[] = [
      { cells: ['BY', '=1+1', 'BY-001'], height: 33 },
      { cells: ['RU', '  Первая строка\nвторая строка ', ''] },
      { cells: ['RU', '@import <b>&amp;</b>\u0001', 'RU-002'], height: 18 },
    ];
    const bytes = await bytesOf(book([rows.slice(0, 2), rows.slice(2)]));
    const got = layoutOf(bytes);
    assert.equal(got.title, 'Замечания & ответы');
    assert.equal(got.creator, 'Accord');
    const [comments, about] = got.sheets;
    assert.equal(comments.name, 'Comments');
    assert.deepEqual(comments.rows, [['MB/NC', 'Comments', 'Number'], ['BY', '=1+1', 'BY-001'], ['RU', '  Первая строка\nвторая строка ', null], ['RU', '@import <b>&amp;</b>', 'RU-002']]);
    assert.equal(comments.types[1][1], 's', '=1+1 is a text cell, not a formula');
    assert.equal(comments.freeze, 'A2');
    assert.deepEqual(comments.widths, [8, 50, 23]);
    assert.deepEqual(comments.heights, [null, 33, null, 18]);
    assert.deepEqual(comments.bold, [true, true, true]);
    assert.deepEqual(comments.wrap, [true, true, true]);
    assert.deepEqual(comments.top, ['top', 'top', 'top']);
    assert.equal(comments.titles, '$1:$1');
    assert.equal(comments.orientation, 'landscape');
    assert.equal(Number(comments.paper), 9);
    assert.equal(comments.fitWidth, 1);
    assert.equal(comments.header, 'ГОСТ 1 && 2');
    assert.equal(comments.footer, '&P / &N');
    assert.deepEqual(about.rows, [['О таблице']]);
    assert.equal(about.freeze, null);
    // Every part is well-formed XML.
    for (const part of ['[Content_Types].xml', '_rels/.rels', 'docProps/core.xml', 'docProps/app.xml', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/styles.xml', 'xl/worksheets/sheet1.xml', 'xl/worksheets/sheet2.xml']) {
      const lint = xmllint(zipEntry(bytes, part));
      assert.ok(lint.ok, `${part}: ${lint.output}`);
    }
  });

  it('gives the same bytes for the same rows', async () => {
    const rows = [[{ cells: ['BY', 'Текст', 'BY-001'] }]];
    assert.deepEqual(await bytesOf(book(rows)), await bytesOf(book(rows)));
  });

  it('writes 30 000 rows read in batches, waiting for a slow reader rather than gathering the file in memory', async () => {
    let asked = 0;
    let written = 0;
    async function* batches() {
      for (let b = 0; b < 300; b++) {
        asked++;
        yield Array.from({ length: 100 }, (_, i) => ({ cells: ['BY', `Замечание ${b * 100 + i}: уточнить формулировку пункта.`, `BY-${b * 100 + i}`] }));
      }
    }
    // A slow reader: the writer waits for it rather than gathering the file in memory.
    let pendingBytes = 0;
    let mostPending = 0;
    const out = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _enc, done) {
        pendingBytes += chunk.length;
        mostPending = Math.max(mostPending, pendingBytes);
        setImmediate(() => {
          pendingBytes -= chunk.length;
          written += chunk.length;
          done();
        });
      },
    });
    const finished = new Promise((resolve) => out.on('finish', resolve));
    await writeXlsx(out, book(batches()));
    await finished;
    assert.equal(asked, 300);
    assert.ok(written > 100_000, `${written} bytes`);
    assert.ok(mostPending < 1024 * 1024, `at most ${mostPending} bytes waited to be written`);
  });

  it('asks for no further batch once the reader has gone, and does not end its stream', async () => {
    let asked = 0;
    const out = new PassThrough({ highWaterMark: 1024 });
    out.resume();
    async function* batches() {
      for (let b = 0; b < 1000; b++) {
        asked++;
        if (b === 3) out.destroy();
        yield Array.from({ length: 1000 }, (_, i) => ({ cells: ['BY', `Замечание ${i}`, `BY-${i}`] }));
      }
    }
    let ended = false;
    out.on('end', () => (ended = true));
    await writeXlsx(out, book(batches()));
    assert.ok(asked <= 5, `${asked} batches asked for`);
    assert.equal(ended, false);
  });
});
