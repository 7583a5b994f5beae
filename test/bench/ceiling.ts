// The ceiling for bench:pages: bare Express + express-handlebars with Accord's own views, layout,
// partials and helpers (server/http/views.ts), rendering Accord's view models from memory. No session,
// no database, no security headers, no logging. Run by test/bench/pages.ts as a child process.
import express from 'express';
import { configureViews } from '../../server/http/views.js';
import { accountViewModel, signInViewModel } from './view-models.js';

const port = Number(process.env.PORT);
const csrf = process.env.CEILING_CSRF_TOKEN ?? 'token';
const personId = process.env.CEILING_PERSON_ID ?? '000000000000000000000000';

const app = express();
configureViews(app, true);
app.get('/sign-in', (_req, res) => res.render('auth/sign-in', signInViewModel(csrf)));
app.get('/account', (_req, res) => res.render('account/show', accountViewModel(csrf, personId)));

const server = app.listen(port, '127.0.0.1', () => console.log(`ceiling listening at http://127.0.0.1:${port}`));
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
