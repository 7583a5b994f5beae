import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatParam } from '../time/format.js';

export const locales = ['ru', 'en'] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = 'ru';

type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };
type Entry = string | PluralForms;
type Catalogue = Record<string, Entry>;

const localesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'locales');
let catalogues: Record<Locale, Catalogue> | undefined;

/**
 * Every string of the interface lives in locales/<locale>/*.json, one file per feature; a key may be
 * defined once per locale. Read once, on first use.
 */
function load(): Record<Locale, Catalogue> {
  if (catalogues) return catalogues;
  const read = (locale: Locale): Catalogue => {
    const merged: Catalogue = {};
    for (const file of readdirSync(path.join(localesDir, locale)).filter((f) => f.endsWith('.json')).sort()) {
      const entries = JSON.parse(readFileSync(path.join(localesDir, locale, file), 'utf8')) as Catalogue;
      for (const [k, v] of Object.entries(entries)) {
        if (k in merged) throw new Error(`locale ${locale}: key ${k} is defined twice (${file})`);
        merged[k] = v;
      }
    }
    return merged;
  };
  catalogues = { ru: read('ru'), en: read('en') };
  return catalogues;
}

const pluralRules: Record<Locale, Intl.PluralRules> = {
  ru: new Intl.PluralRules('ru'),
  en: new Intl.PluralRules('en'),
};

export function isLocale(v: unknown): v is Locale {
  return typeof v === 'string' && (locales as readonly string[]).includes(v);
}

export function hasKey(key: string): boolean {
  return key in load().ru;
}

/**
 * Looks up a message; `{name}` placeholders are filled from params, and an entry with plural forms
 * picks the form for params.count by the locale's CLDR rules (Russian: one, few, many). An instant (a
 * Date) or a day ({ day }) in params is written as the interface writes them (server/time/format.ts).
 */
export function translate(locale: Locale, key: string, params: Record<string, unknown> = {}): string {
  const all = load();
  const entry = all[locale][key] ?? all[defaultLocale][key];
  if (entry === undefined) return key;
  let text: string;
  if (typeof entry === 'string') text = entry;
  else {
    const n = Number(params.count ?? 0);
    text = entry[pluralRules[locale].select(n)] ?? entry.other;
  }
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? formatParam(params[name], locale) : m));
}

export function catalogueKeys(locale: Locale): string[] {
  return Object.keys(load()[locale]);
}
