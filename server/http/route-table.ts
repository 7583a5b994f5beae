import type { Express, NextFunction, Request, RequestHandler, Response } from 'express';
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
  for (const r of table) app[r.method](r.path, ...r.guards, r.handler);
  app.use(methodNotAllowed(table));
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

/** Every method + path the app registers, read from Express's own router (used by the access matrix). */
export function registeredRoutes(app: Express): { method: string; path: string }[] {
  const out: { method: string; path: string }[] = [];
  // Express 5 keeps its router on app.router; its layers are not in the public typings.
  const stack = (app.router as unknown as { stack: { route?: { path: string; methods: Record<string, boolean> } }[] })
    .stack;
  for (const layer of stack) {
    if (!layer.route) continue;
    for (const [m, on] of Object.entries(layer.route.methods)) if (on && m !== '_all') out.push({ method: m.toUpperCase(), path: layer.route.path });
  }
  return out;
}
