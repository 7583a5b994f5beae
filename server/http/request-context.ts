import type { Request } from 'express';

/** API calls answer in JSON; everything else is a page. */
export function wantsJson(req: Request): boolean {
  return req.path.startsWith('/api/') || req.path === '/healthz' || req.accepts(['html', 'json']) === 'json';
}
