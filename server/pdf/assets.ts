// The renderer's only reading of files: the boilerplate text in templates/pdf/ and the PT fonts from their
// npm packages (templates/pdf/fonts/README.md). Read once, when the routes are built, and handed to
// every render as buffers.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FaceName, FontFiles } from './fonts.js';

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
  redline: Record<'ru' | 'en', RedlineText>;
  comments: Record<'ru' | 'en', CommentsText>;
}

export interface PdfAssets {
  fonts: FontFiles;
  text: Boilerplate;
}

const FONT_FILES: Record<FaceName, [pkg: string, file: string]> = {
  serif: ['@expo-google-fonts/pt-serif', '400Regular/PTSerif_400Regular.ttf'],
  serifBold: ['@expo-google-fonts/pt-serif', '700Bold/PTSerif_700Bold.ttf'],
  serifItalic: ['@expo-google-fonts/pt-serif', '400Regular_Italic/PTSerif_400Regular_Italic.ttf'],
  serifBoldItalic: ['@expo-google-fonts/pt-serif', '700Bold_Italic/PTSerif_700Bold_Italic.ttf'],
  sans: ['@expo-google-fonts/pt-sans', '400Regular/PTSans_400Regular.ttf'],
  sansBold: ['@expo-google-fonts/pt-sans', '700Bold/PTSans_700Bold.ttf'],
};

const loaded = new Map<string, PdfAssets>();

/** Reads the fonts and the boilerplate (once per folder; later calls get the same buffers). */
export function loadPdfAssets(dir: string = pdfTemplatesDir): PdfAssets {
  const cached = loaded.get(dir);
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const fonts = {} as FontFiles;
  for (const [face, [pkg, file]] of Object.entries(FONT_FILES) as [FaceName, [string, string]][]) {
    fonts[face] = readFileSync(path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file));
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
