import type { Express, RequestHandler } from 'express';

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
