// The home page: for a signed-in person, what needs them first; before the first run, the way to the set-up.
import { anyone } from '../auth/index.js';
import { route, type RouteDef } from '../http/route-table.js';
import { hasAnyUser } from '../users/service.js';
import { whatNeedsMe } from './service.js';

export function homeRoutes(): RouteDef[] {
  return [
    route('get', '/', anyone, async (req, res) => {
      if (!req.user && !(await hasAnyUser())) return res.redirect(303, '/setup');
      const needs = req.user ? await whatNeedsMe(req.user, req.now, res.locals.locale) : [];
      res.render('home', { title: 'home.title', needs });
    }),
  ];
}
