import { Router, type Express, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { match } from 'path-to-regexp';
import { MethodNotAllowed } from '../errors.js';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * One row of a feature's route table: the guards sit beside the path, so who may call a route is read
 * in the same place as the route itself.
 */
export interface RouteDef {
  method: Method;
  path: string;
  guards: RequestHandler[];
  handler: RequestHandler;
}

export function route(method: Method, path: string, guards: RequestHandler[], handler: RequestHandler): RouteDef {
  return { method, path, guards, handler };
}

export function mountRoutes(app: Express, table: RouteDef[]): void {
  app.use(routeDispatch(table));
  app.use(methodNotAllowed(table));
}

/** One segment of a route's path: a literal, or a `:name` parameter (with a literal suffix such as `.pdf`). */
const segment = String.raw`(?:[A-Za-z0-9._~-]+|:[A-Za-z_]\w*(?:\.[A-Za-z0-9]+)?)`;
/** What a route's path is made of: such segments only, nothing optional or repeated; `/` alone too. */
const plainPath = new RegExp(`^/(?:${segment}(?:/${segment})*)?$`);

/**
 * The shape of a path: its first segment (as Express compares it, without regard to case) and how many
 * segments it has, a trailing slash aside. Two plain paths of different shapes never match the same address.
 */
function shapeOf(path: string): string {
  let end = path.length;
  if (end > 1 && path.charCodeAt(end - 1) === 47 /* / */) end--;
  const second = path.indexOf('/', 1);
  const first = (second === -1 || second > end ? path.slice(1, end) : path.slice(1, second)).toLowerCase();
  let segments = 1;
  for (let i = second; i !== -1 && i < end; i = path.indexOf('/', i + 1)) segments++;
  return `${first}/${segments}`;
}

/**
 * The routes, each request sent straight to those of its method and shape (docs/operations.md, "Routing").
 * Express tries every route of a router in turn, each with its regular expression: with two hundred
 * routes a request tested a hundred paths before its own. Here each method and shape has its own router,
 * its routes in the order of the table, so an address is tried against the few that could match it; what
 * matches, in which order, and what reaches the handlers (params, req.route) is what one router gives.
 */
function routeDispatch(table: RouteDef[]): RequestHandler & { routers: Map<string, Router> } {
  const routers = new Map<string, Router>();
  for (const r of table) {
    if (!plainPath.test(r.path)) throw new Error(`mountRoutes: ${r.path} is not a plain path of literal segments and :parameters`);
    const key = `${r.method.toUpperCase()} ${shapeOf(r.path)}`;
    let router = routers.get(key);
    if (!router) routers.set(key, (router = Router()));
    router[r.method](r.path, ...r.guards, r.handler);
  }
  const dispatch = (req: Request, res: Response, next: NextFunction) => {
    const shape = shapeOf(req.path);
    // HEAD is answered by the GET route, as a router answers it.
    const router = routers.get(`${req.method} ${shape}`) ?? (req.method === 'HEAD' ? routers.get(`GET ${shape}`) : undefined);
    if (!router) return next();
    router(req, res, next);
  };
  return Object.assign(dispatch, { routers });
}

/**
 * Reached when no route answered: an address the app knows, called with a method it does not have, gets
 * 405 with the methods it has in `Allow` (RFC 9110 §15.5.6) instead of "not found"; OPTIONS gets 204
 * with the same `Allow`. Paths are matched as Express matches them (path-to-regexp).
 */
function methodNotAllowed(table: RouteDef[]): RequestHandler {
  const byPath = new Map<string, Set<string>>();
  for (const r of table) (byPath.get(r.path) ?? byPath.set(r.path, new Set()).get(r.path)!).add(r.method.toUpperCase());
  const known = [...byPath].map(([path, methods]) => ({ matches: match(path, { decode: false }), methods }));
  return (req: Request, res: Response, next: NextFunction) => {
    const allowed = new Set<string>();
    for (const k of known) if (k.matches(req.path)) for (const m of k.methods) allowed.add(m);
    if (allowed.size === 0) return next();
    if (allowed.has('GET')) allowed.add('HEAD');
    allowed.add('OPTIONS');
    res.set('Allow', [...allowed].sort().join(', '));
    if (req.method === 'OPTIONS') return void res.status(204).end();
    next(new MethodNotAllowed('errors.methodNotAllowed', { method: req.method }));
  };
}

/** Every method + path the app registers, read from Express's own routers (used by the access matrix). */
export function registeredRoutes(app: Express): { method: string; path: string }[] {
  type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle?: { routers?: Map<string, { stack: Layer[] }> } };
  const out: { method: string; path: string }[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      for (const router of layer.handle?.routers?.values() ?? []) walk(router.stack);
      if (!layer.route) continue;
      for (const [m, on] of Object.entries(layer.route.methods)) if (on && m !== '_all') out.push({ method: m.toUpperCase(), path: layer.route.path });
    }
  };
  // Express 5 keeps its router on app.router; its layers are not in the public typings.
  walk((app.router as unknown as { stack: Layer[] }).stack);
  return out;
}
