// Reading Accord's Word and Excel files with programs that are not Accord: LibreOffice without a display
// converts a DOCX to PDF (then read with pdftotext, test/unit/pdf/tools.ts), and openpyxl (a virtual
// environment under .cache/, test/prepare-machine.sh) reads an XLSX. Each call works in a folder of its own.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PdfFile } from '../unit/pdf/tools.js';

/** LibreOffice's profile for the tests: made on first use, shared by the conversions of this process. */
let profile: string | undefined;

const run = promisify(execFile);

/**
 * The file converted to PDF by LibreOffice (`soffice --headless --convert-to pdf`). Asynchronous: a
 * conversion takes seconds, and the app under test (same process) keeps answering meanwhile.
 */
export async function officeToPdf(bytes: Buffer, extension: 'docx' | 'xlsx'): Promise<PdfFile> {
  profile ??= mkdtempSync(path.join(os.tmpdir(), 'accord-lo-profile-'));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'accord-office-'));
  try {
    const input = path.join(dir, `file.${extension}`);
    writeFileSync(input, bytes);
    await run('soffice', [`-env:UserInstallation=file://${profile}`, '--headless', '--norestore', '--convert-to', 'pdf', '--outdir', dir, input], { timeout: 120_000 });
    return new PdfFile(readFileSync(path.join(dir, 'file.pdf')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The text LibreOffice prints of a Word file, read back by pdftotext. */
export async function docxText(bytes: Buffer): Promise<string> {
  const pdf = await officeToPdf(bytes, 'docx');
  try {
    return pdf.text();
  } finally {
    pdf.remove();
  }
}

const OPENPYXL = path.resolve('.cache/openpyxl/bin/python');

/**
 * What a Python script prints as JSON about a workbook read by openpyxl: the script finds the file in
 * `sys.argv[1]` and has `json`, `sys` and `openpyxl` imported.
 */
export function openpyxlJson<T>(bytes: Buffer, script: readonly string[]): T {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'accord-xlsx-'));
  try {
    const file = path.join(dir, 'file.xlsx');
    writeFileSync(file, bytes);
    return JSON.parse(execFileSync(OPENPYXL, ['-c', ['import json, sys, openpyxl', ...script].join('\n'), file], { encoding: 'utf8' })) as T;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What openpyxl reads of a workbook: each sheet's rows of cell values (null for an empty cell) and its header text. */
export function openpyxlRead(bytes: Buffer): { sheets: { name: string; rows: (string | number | null)[][]; header: string; types: string[][] }[] } {
  return openpyxlJson(bytes, [
    'wb = openpyxl.load_workbook(sys.argv[1])',
    'out = [{"name": ws.title, "rows": [[c.value for c in r] for r in ws.iter_rows()], "types": [[c.data_type for c in r] for r in ws.iter_rows()], "header": ws.oddHeader.left.text or ""} for ws in wb.worksheets]',
    'print(json.dumps({"sheets": out}, ensure_ascii=False))',
  ]);
}

/** One file inside a zip package (a DOCX part such as word/document.xml), read by Python's zipfile. */
export function zipEntry(bytes: Buffer, name: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'accord-zip-'));
  try {
    const file = path.join(dir, 'file.zip');
    writeFileSync(file, bytes);
    return execFileSync('python3', ['-c', 'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode("utf-8"))', file, name], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
