import ru from './locales/ru.json' with { type: 'json' };
import en from './locales/en.json' with { type: 'json' };

export const locales = ['ru', 'en'] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = 'ru';

type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };
type Entry = string | PluralForms;
type Catalogue = Record<string, Entry>;

const catalogues: Record<Locale, Catalogue> = { ru, en };
const pluralRules: Record<Locale, Intl.PluralRules> = {
  ru: new Intl.PluralRules('ru'),
  en: new Intl.PluralRules('en'),
};

export function isLocale(v: unknown): v is Locale {
  return typeof v === 'string' && (locales as readonly string[]).includes(v);
}

export function hasKey(key: string): boolean {
  return key in catalogues.ru;
}

/**
 * Looks up a message; `{name}` placeholders are filled from params, and an entry with plural forms
 * picks the form for params.count by the locale's CLDR rules (Russian: one, few, many).
 */
export function translate(locale: Locale, key: string, params: Record<string, unknown> = {}): string {
  const entry = catalogues[locale][key] ?? catalogues[defaultLocale][key];
  if (entry === undefined) return key;
  let text: string;
  if (typeof entry === 'string') text = entry;
  else {
    const n = Number(params.count ?? 0);
    text = entry[pluralRules[locale].select(n)] ?? entry.other;
  }
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

export function catalogueKeys(locale: Locale): string[] {
  return Object.keys(catalogues[locale]);
}
