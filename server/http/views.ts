import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Express } from 'express';
import { engine } from 'express-handlebars';
import Handlebars, { type HelperOptions } from 'handlebars';
import { translate, type Locale } from '../i18n/index.js';
import { formatDay, formatInstant } from '../time/format.js';
import { parseDay } from '../time/days.js';
import { derived } from '../common/derived-cache.js';

export const viewsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../views');

function rootOf(options: HelperOptions): Record<string, unknown> {
  return (options.data?.root ?? {}) as Record<string, unknown>;
}

function localeOf(options: HelperOptions): Locale {
  return (rootOf(options).locale as Locale) ?? 'ru';
}

const helpers = {
  /** {{t "key" name=value}}: a message from the locale file, in the page's language. */
  t(key: string, options: HelperOptions) {
    return translate(localeOf(options), key, options.hash);
  },
  /** {{tIn "en" "key"}}: a message in a given language, e.g. the English term beside the Russian one. */
  tIn(locale: string, key: string, options: HelperOptions) {
    return translate(locale === 'en' ? 'en' : 'ru', key, options.hash);
  },
  eq: (a: unknown, b: unknown) => a === b,
  or: (...args: unknown[]) => args.slice(0, -1).some(Boolean),
  and: (...args: unknown[]) => args.slice(0, -1).every(Boolean),
  not: (a: unknown) => !a,
  /** A hidden CSRF field; the token is made only when a page has a form. */
  csrfField(options: HelperOptions) {
    const make = rootOf(options).csrf as (() => string) | undefined;
    const token = make ? make() : '';
    return new Handlebars.SafeString(`<input type="hidden" name="_csrf" value="${Handlebars.escapeExpression(token)}">`);
  },
  csrfToken(options: HelperOptions) {
    const make = rootOf(options).csrf as (() => string) | undefined;
    return make ? make() : '';
  },
  /** {{date at}}: an instant in committee time. */
  date(value: unknown, options: HelperOptions) {
    if (!value) return '';
    const d = value instanceof Date ? value : new Date(String(value));
    return Number.isNaN(d.getTime()) ? '' : formatInstant(d, localeOf(options));
  },
  /**
   * {{committeeDay "2026-12-02"}}: a committee day as the interface writes days. (Not named `day`: a helper
   * shadows a context property of the same name, and views print `{{day}}` fields.)
   */
  committeeDay(value: unknown, options: HelperOptions) {
    const d = typeof value === 'string' ? parseDay(value) : undefined;
    return d ? formatDay(d, localeOf(options)) : '';
  },
  /**
   * {{#fragment key}}…{{/fragment}}: the block rendered once per key and kept, for large parts of a page
   * that never change under their key (a revision's text at its edit version, in one language). The key
   * must name everything the block shows; without one the block is rendered as usual. The person's own
   * part of it (a count, an action) is put in afterwards at the marks the block leaves.
   */
  fragment(this: unknown, key: unknown, options: HelperOptions) {
    if (typeof key !== 'string' || !key) return options.fn(this);
    const html = derived(`html:${key}`, () => ({ html: options.fn(this) })).html;
    // What differs per person (marks=: name → HTML) goes where the block left `<!--mark:name-->`.
    const marks = options.hash.marks as Record<string, string> | undefined;
    if (!marks) return new Handlebars.SafeString(html);
    return new Handlebars.SafeString(html.replace(/<!--mark:([\w-]+)-->/g, (_, name: string) => marks[name] ?? ''));
  },
  json: (value: unknown) => JSON.stringify(value),
  concat: (...args: unknown[]) => args.slice(0, -1).join(''),
  array: (...args: unknown[]) => args.slice(0, -1),
  /** {{#if (picked values.ids id)}}: a form's kept choice (one value or several, «id» or «id.…») names this id. */
  picked: (list: unknown, id: unknown) => (Array.isArray(list) ? list : [list]).some((v) => typeof v === 'string' && (v === id || v.startsWith(`${String(id)}.`))),
};


export function configureViews(app: Express, cache: boolean): void {
  app.engine(
    'hbs',
    engine({
      extname: '.hbs',
      defaultLayout: 'main',
      layoutsDir: path.join(viewsDir, 'layouts'),
      partialsDir: path.join(viewsDir, 'partials'),
      helpers,
    }),
  );
  app.set('view engine', 'hbs');
  app.set('views', viewsDir);
  app.set('view cache', cache);
}
