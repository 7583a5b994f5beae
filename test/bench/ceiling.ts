// The ceiling for the page benchmarks: bare Express + express-handlebars with Accord's own views,
// layout, partials and helpers (server/http/views.ts), rendering view models that Accord's own page
// functions produced, from memory, sent as Accord's res.render sends them (a large page's kept text as
// bytes beside the rest rendered per request: server/http/page-pieces.ts, each process keeping its own).
// No session, no database, no security headers, no logging, no compression.
// Run as a child process; CEILING_MODELS names a JSON file { "/path": { view, model } }.
import { readFileSync } from 'node:fs';
import express from 'express';
import { configureViews } from '../../server/http/views.js';

const port = Number(process.env.PORT);
const csrf = process.env.CEILING_CSRF_TOKEN ?? 'token';
const pages = JSON.parse(readFileSync(String(process.env.CEILING_MODELS), 'utf8')) as Record<string, { view: string; model: Record<string, unknown> }>;

const app = express();
configureViews(app, true);
for (const [path, { view, model }] of Object.entries(pages)) {
  app.get(path, (_req, res) => res.render(view, { ...model, csrf: () => csrf }));
}

const server = app.listen(port, '127.0.0.1', () => console.log(`ceiling listening at http://127.0.0.1:${port}`));
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
