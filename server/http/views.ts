import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Express, Response } from 'express';
import { engine } from 'express-handlebars';
import Handlebars, { type HelperOptions } from 'handlebars';
import { translate, type Locale } from '../i18n/index.js';
import { formatDay, formatInstant } from '../time/format.js';
import { parseDay } from '../time/days.js';
import { keptBlocks, PagePieces, piecesKey, sendInPieces } from './page-pieces.js';

export const viewsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../views');

function rootOf(options: HelperOptions): Record<string | symbol, unknown> {
  return (options.data?.root ?? {}) as Record<string | symbol, unknown>;
}

function localeOf(options: HelperOptions): Locale {
  return (rootOf(options).locale as Locale) ?? 'ru';
}

/** How many kept blocks are being rendered (one inside another: the inner one goes in as text). */
let keeping = 0;

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
   * part of it (a count, an action: marks=, name → HTML) goes where the block left `<!--mark:name-->`.
   * A page sent by res.render gets the kept bytes in the block's place (server/http/page-pieces.ts); the
   * block's output must reach the page as it is (not through another helper).
   */
  fragment(this: unknown, key: unknown, options: HelperOptions) {
    if (typeof key !== 'string' || !key) return options.fn(this);
    const block = keptBlocks.get(`html:${key}`, () => {
      keeping++;
      try {
        return options.fn(this);
      } finally {
        keeping--;
      }
    });
    // A block inside a block being kept is kept with its marks, for the outer block's parts to fill.
    if (keeping) return new Handlebars.SafeString(block.text());
    const marks = options.hash.marks as Record<string, string> | undefined;
    const pieces = rootOf(options)[piecesKey] as PagePieces | undefined;
    return new Handlebars.SafeString(pieces ? pieces.add(block, marks) : block.text(marks));
  },
  json: (value: unknown) => JSON.stringify(value),
  concat: (...args: unknown[]) => args.slice(0, -1).join(''),
  array: (...args: unknown[]) => args.slice(0, -1),
  /** {{#if (picked values.ids id)}}: a form's kept choice (one value or several, «id» or «id.…») names this id. */
  picked: (list: unknown, id: unknown) => (Array.isArray(list) ? list : [list]).some((v) => typeof v === 'string' && (v === id || v.startsWith(`${String(id)}.`))),
};


/**
 * Handlebars views with the layout. `compress`: the app compresses its answers (server/http/caching.ts),
 * so a page with kept blocks is sent gzipped from their compressed bytes when the client takes gzip.
 */
export function configureViews(app: Express, cache: boolean, options: { compress?: boolean } = {}): void {
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

  // res.render without a callback sends the page; one with kept blocks is sent in pieces (page-pieces.ts).
  // A caller that asks for the HTML itself (a callback) gets it whole.
  type Done = (err: Error | null, html?: string) => void;
  const render = app.response.render as (this: Response, view: string, options?: object | Done, callback?: Done) => void;
  const compress = !!options.compress;
  app.response.render = function renderPage(this: Response, view: string, model?: object | Done, callback?: Done) {
    if (typeof model === 'function' || callback) return render.call(this, view, model, callback);
    const pieces = new PagePieces();
    render.call(this, view, { ...model, [piecesKey]: pieces }, (err, html) => {
      if (err) return this.req.next!(err);
      if (pieces.items.length) sendInPieces(this, html!, pieces, { compress });
      else this.send(html);
    });
  } as Response['render'];
}
