// The plan as an XLSX workbook (docs/programme.md): one row per document, the target and actual day of each
// stage, written the way the comments' export writes its cells (server/comments/exports.ts): text as inline
// strings, never formulas, with Russian headings, the committee's working language.
import ExcelJS from 'exceljs';
import { translate } from '../i18n/index.js';
import { formatDay } from '../time/format.js';
import type { PlanRow } from './service.js';
import { PROGRAMME_STAGES } from './service.js';

/** A text cell as typed: an inline string (never a formula, whatever it starts with). */
const textCell = (text: string | null | undefined): ExcelJS.CellValue => (text ? { richText: [{ text }] } : null);

export const planColumns = [
  { key: 'designation', header: 'Обозначение', width: 16 },
  { key: 'title', header: 'Наименование', width: 50 },
  { key: 'productGroup', header: 'Группа продукции', width: 22 },
  { key: 'state', header: 'Состояние', width: 18 },
  { key: 'stage', header: 'Стадия', width: 8 },
  ...PROGRAMME_STAGES.flatMap((s) => [
    { key: `${s}Target`, header: `${translate('ru', `programme.stage.${s}`)}: план`, width: 16 },
    { key: `${s}Actual`, header: `${translate('ru', `programme.stage.${s}`)}: факт`, width: 16 },
  ]),
  { key: 'late', header: 'Просрочено', width: 30 },
];

export async function planXlsx(rows: readonly PlanRow[], title: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  // Fixed dates: the same plan gives the same file.
  wb.creator = 'Accord';
  wb.created = new Date(0);
  wb.modified = new Date(0);
  wb.title = title;
  const ws = wb.addWorksheet('План', { views: [{ state: 'frozen', ySplit: 1 }], pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:1' } });
  ws.columns = planColumns.map((c) => ({ key: c.key, width: c.width }));
  const header = ws.getRow(1);
  planColumns.forEach((c, i) => (header.getCell(i + 1).value = c.header));
  header.font = { bold: true };
  header.alignment = { vertical: 'top', wrapText: true };
  for (const r of rows) {
    const cells: Record<string, ExcelJS.CellValue> = {
      designation: textCell(r.designation ?? ''),
      title: textCell(r.title),
      productGroup: textCell(r.productGroupNames.ru),
      state: textCell(translate('ru', `workflow.state.${r.state}`)),
      stage: textCell(r.stage),
      late: textCell(r.late.map((s) => translate('ru', `programme.stageLower.${s}`)).join(', ')),
    };
    for (const s of r.stages) {
      cells[`${s.stage}Target`] = textCell(formatDay(s.target, 'ru'));
      cells[`${s.stage}Actual`] = textCell(s.actual ? formatDay(s.actual, 'ru') : '');
    }
    const row = ws.addRow(cells);
    row.alignment = { vertical: 'top', wrapText: true };
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
