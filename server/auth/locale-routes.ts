// The interface language: chosen from the header's link, kept in a cookie and, for a signed-in person,
// on the account; then back to the page the person came from.
import { InvalidInput } from '../errors.js';
import { route, type RouteDef } from '../http/route-table.js';
import { isLocale } from '../i18n/index.js';
import { setLocale } from '../users/service.js';
import { anyone } from './guards.js';
import { safeNext } from './route-helpers.js';

export function localeRoutes(): RouteDef[] {
  return [
    route('get', '/locale/:lang', anyone, async (req, res) => {
      const lang = req.params.lang;
      if (!isLocale(lang)) throw new InvalidInput('errors.unknownLocale');
      res.cookie('lang', lang, { maxAge: 365 * 86400_000, httpOnly: true, sameSite: 'lax' });
      if (req.user) await setLocale(req.user.id, lang);
      const back = pathOfReferer(req.get('referer'));
      res.redirect(303, safeNext(typeof req.query.next === 'string' ? req.query.next : back));
    }),
  ];
}

/** The path of the page a person came from; a Referer that is no URL counts as none. */
function pathOfReferer(referer: string | undefined): string {
  if (!referer) return '/';
  try {
    return new URL(referer, 'http://x').pathname;
  } catch {
    return '/';
  }
}
