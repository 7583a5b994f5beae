// The renderer's only reading of files: the boilerplate text in templates/pdf/ and the fonts from their
// npm packages (templates/pdf/fonts/README.md). Read once, when the routes are built, and handed to
// every render as buffers.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FontFiles, FontName } from './faces.js';

export const pdfTemplatesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../templates/pdf');

interface RedlineText {
  title: string;
  running: string;
  formerly: string;
  legendInserted: string;
  legendDeleted: string;
  counts: string;
  status: Record<'added' | 'removed' | 'changed' | 'moved' | 'renumbered' | 'unchanged', string>;
  movedNote: string;
  noChanges: string;
}

interface CommentsText {
  title: string;
  running: string;
  columns: string[];
  footnotes: string;
  clause: string;
  revision: string;
  stage: string;
  general: string;
  dispositions: Record<'accepted' | 'partiallyAccepted' | 'rejected' | 'noted' | 'referred', string>;
  none: string;
}

export interface Boilerplate {
  committee: string;
  committeeEn: string;
  standardKind: string;
  draft: string;
  draftMark: string;
  revisionOrdinals: string[];
  revisionWord: string;
  stage: string;
  officialEdition: string;
  cities: string;
  developerLabel: string;
  revisionDateLabel: string;
  publicationDateLabel: string;
  verifyCaption: string;
  draftNotice: string;
  foreword: {
    title: string;
    intro: string;
    about: string;
    developed: string;
    submitted: string;
    submittedBy: string;
    adopted: string;
    adoptedBy: string;
    adoptedPending: string;
    votesIntro: string;
    voteHeader: string[];
    votes: Record<'approve' | 'disapprove' | 'abstain', string>;
    entryIntoForce: string;
    entryIntoForceLine: string;
    entryIntoForcePending: string;
    firstTime: string;
    replaces: string;
    notice: string;
  };
  contents: string;
  dateOfEntry: string;
  pageOf: string;
  pageOfEn: string;
  requirementHeader: string[];
  methodPrefix: string;
  continuation: string;
  continuationLast: string;
  ics: string;
  keywords: string;
  /** What only the Word copy says (server/docx/). */
  word: { contentsNote: string; description: string };
  redline: Record<'ru' | 'en', RedlineText>;
  comments: Record<'ru' | 'en', CommentsText>;
}

export interface PdfAssets {
  fonts: FontFiles;
  text: Boilerplate;
}

const PT_SERIF = '@expo-google-fonts/pt-serif';
const PT_SANS = '@expo-google-fonts/pt-sans';
const NOTO_SERIF = '@expo-google-fonts/noto-serif';
const NOTO_SANS = '@expo-google-fonts/noto-sans';

/** Where each font file is: its npm package and the file in it (licences: templates/pdf/fonts/README.md). */
const FONT_FILES: Record<FontName, [pkg: string, file: string]> = {
  serif: [PT_SERIF, '400Regular/PTSerif_400Regular.ttf'],
  serifBold: [PT_SERIF, '700Bold/PTSerif_700Bold.ttf'],
  serifItalic: [PT_SERIF, '400Regular_Italic/PTSerif_400Regular_Italic.ttf'],
  serifBoldItalic: [PT_SERIF, '700Bold_Italic/PTSerif_700Bold_Italic.ttf'],
  sans: [PT_SANS, '400Regular/PTSans_400Regular.ttf'],
  sansBold: [PT_SANS, '700Bold/PTSans_700Bold.ttf'],
  notoSerif: [NOTO_SERIF, '400Regular/NotoSerif_400Regular.ttf'],
  notoSerifBold: [NOTO_SERIF, '700Bold/NotoSerif_700Bold.ttf'],
  notoSerifItalic: [NOTO_SERIF, '400Regular_Italic/NotoSerif_400Regular_Italic.ttf'],
  notoSerifBoldItalic: [NOTO_SERIF, '700Bold_Italic/NotoSerif_700Bold_Italic.ttf'],
  notoSans: [NOTO_SANS, '400Regular/NotoSans_400Regular.ttf'],
  notoSansBold: [NOTO_SANS, '700Bold/NotoSans_700Bold.ttf'],
  math: ['@fontsource/noto-sans-math', 'files/noto-sans-math-latin-400-normal.woff'],
};

const loaded = new Map<string, PdfAssets>();

/** Reads the fonts and the boilerplate (once per folder; later calls get the same buffers). */
export function loadPdfAssets(dir: string = pdfTemplatesDir): PdfAssets {
  const cached = loaded.get(dir);
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const fonts = {} as FontFiles;
  for (const [name, [pkg, file]] of Object.entries(FONT_FILES) as [FontName, [string, string]][]) {
    fonts[name] = readFileSync(path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file));
  }
  const text = JSON.parse(readFileSync(path.join(dir, 'boilerplate.json'), 'utf8')) as Boilerplate;
  const assets = { fonts, text };
  loaded.set(dir, assets);
  return assets;
}

/** «Страница N из M» / «Page N of M». */
export function pageOf(text: Boilerplate, lang: 'ru' | 'en', n: number, m: number): string {
  return fill(lang === 'en' ? text.pageOfEn : text.pageOf, { n, m });
}

/** «Страница {n} из {m}» with its placeholders filled. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));
}
