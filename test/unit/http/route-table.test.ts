import assert from 'node:assert/strict';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import request from 'supertest';
import { mountRoutes, registeredRoutes, route, type RouteDef } from '../../../server/http/route-table.js';

const answer = (name: string): RequestHandler => (req, res) => {
  res.json({ name, route: req.route?.path, params: req.params, baseUrl: req.baseUrl });
};
// A guard that passes some addresses on to the next route of the same path, as a guard may.
const unless = (id: string): RequestHandler => (req, _res, next) => next(req.params.id === id ? 'route' : undefined);

const table: RouteDef[] = [
  route('get', '/', [], answer('home')),
  route('get', '/documents/:id', [unless('skip')], answer('document')),
  route('get', '/documents/new', [], answer('never: the route before takes it')),
  route('get', '/documents/:other', [], answer('the next document route')),
  route('get', '/documents/:id/comments', [], answer('comments')),
  route('post', '/documents/:id/comments', [], answer('post a comment')),
  route('get', '/documents/:id/comments/export.csv', [], answer('csv')),
  route('get', '/documents/:id/comments/:comment', [], answer('a comment')),
  route('delete', '/documents/:id/comments/:comment', [], answer('drop a comment')),
  route('get', '/catalogue/:id.pdf', [], answer('pdf')),
  route('get', '/plan.xlsx', [], answer('plan')),
  route('patch', '/api/documents/:id', [], answer('api patch')),
];

function finish(app: express.Express): express.Express {
  app.use((_req: Request, res: Response) => void res.status(404).json({ name: 'not found' }));
  app.use((err: { status?: number; message: string }, _req: Request, res: Response, _next: NextFunction) => void res.status(err.status ?? 500).json({ error: err.message }));
  return app;
}

/** Every route on Express's own router, one after another: what the dispatch must answer like. */
function reference(): express.Express {
  const app = express();
  for (const r of table) app[r.method](r.path, ...r.guards, r.handler);
  return finish(app);
}

function dispatched(): express.Express {
  const app = express();
  mountRoutes(app, table);
  return finish(app);
}

describe('route table', () => {
  const paths = [
    '/', '/documents', '/documents/', '/documents/7', '/DOCUMENTS/7', '/Documents/7/', '/documents/new', '/documents/skip', '/documents/7//',
    '/documents/7/comments', '/documents/7/comments/', '/documents/7/Comments', '/documents//comments', '/documents/a%2Fb/comments',
    '/documents/7/comments/export.csv', '/documents/7/comments/c1', '/documents/7/comments/c1/x', '/catalogue/5.pdf', '/catalogue/5',
    '/plan.xlsx', '/PLAN.XLSX', '/plan.xlsx/', '/nothing', '/nothing/here', '/api/documents/7', '/documents/7?x=1',
  ];

  it('answers every address and method as one router holding every route would (what matches, its order, params, req.route)', async () => {
    const [a, b] = [dispatched(), reference()];
    for (const method of ['get', 'head', 'post', 'delete', 'patch'] as const) {
      for (const path of paths) {
        const [got, want] = await Promise.all([request(a)[method](path), request(b)[method](path)]);
        // A known address called with another method is the dispatch's 405 (below), where the reference has no route.
        if (got.status === 405 && want.status === 404) continue;
        assert.equal(got.status, want.status, `${method} ${path}`);
        assert.deepEqual(got.body, want.body, `${method} ${path}`);
      }
    }
  });

  it('answers a known address called with another method with 405 and its methods, and OPTIONS with 204', async () => {
    const app = dispatched();
    const put = await request(app).put('/documents/7');
    assert.equal(put.status, 405);
    assert.equal(put.headers.allow, 'GET, HEAD, OPTIONS');
    const options = await request(app).options('/documents/7/comments/c1');
    assert.equal(options.status, 204);
    assert.equal(options.headers.allow, 'DELETE, GET, HEAD, OPTIONS');
    assert.equal((await request(app).put('/nothing')).status, 404);
  });

  it('refuses, when mounted, a path that is not literal segments and :parameters', () => {
    for (const path of ['/files/*rest', '/documents{/:id}', 'documents/:id', '/documents/:id?']) {
      assert.throws(() => mountRoutes(express(), [route('get', path, [], answer('x'))]), /not a plain path/, path);
    }
  });

  it('lists every route it mounted, once', () => {
    const listed = registeredRoutes(dispatched()).map((r) => `${r.method} ${r.path}`).sort();
    assert.deepEqual(listed, table.map((r) => `${r.method.toUpperCase()} ${r.path}`).sort());
  });
});
