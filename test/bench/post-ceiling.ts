// The ceiling for posting a comment (bench:comments): the least stack that does the same job — Express
// with the same session store and options (connect-mongo in the same database, the same cookie and
// secret, so Accord's session cookie is valid here), the same form body parsing, and one insertOne of
// the comment document a member's post stores. No CSRF, no validation, no rules, no view, no logging.
// Run as a child process: PORT, MONGODB_URI, SESSION_SECRET, CEILING_DOCUMENT (the document id).
import express from 'express';
import session from 'express-session';
import MongoStore from 'connect-mongo';
import { mongoose } from '../../server/db/mongoose.js';
import { sessionCollection, sessionCookie } from '../../server/auth/sessions.js';

const port = Number(process.env.PORT);
const documentId = new mongoose.Types.ObjectId(String(process.env.CEILING_DOCUMENT));
const client = new mongoose.mongo.MongoClient(String(process.env.MONGODB_URI));
await client.connect();
const db = client.db();
const comments = db.collection('comments_ceiling_bench');

const app = express();
app.use(
  session({
    name: sessionCookie,
    secret: String(process.env.SESSION_SECRET),
    resave: false,
    saveUninitialized: false,
    rolling: false,
    store: MongoStore.create({ client: client as unknown as Parameters<typeof MongoStore.create>[0]['client'], dbName: db.databaseName, collectionName: sessionCollection, stringify: false, ttl: 12 * 3600, touchAfter: 300, autoRemove: 'native' }),
    cookie: { httpOnly: true, sameSite: 'lax', maxAge: 12 * 3600_000 },
  }),
);
app.use(express.urlencoded({ extended: false, limit: '1mb', parameterLimit: 200 }));
app.post('/documents/:id/comments', async (req, res) => {
  const user = (req.session as { passport?: { user?: { id: string; name: string; delegationCode: string } } }).passport?.user;
  if (!user) return void res.status(401).end();
  const now = new Date();
  const r = await comments.insertOne({
    document: documentId, round: 1, revision: 1, clauseKey: req.body.clauseKey, anchor: null, type: req.body.type, text: req.body.text, proposedChange: req.body.proposedChange,
    delegation: user.delegationCode, author: new mongoose.Types.ObjectId(user.id), authorName: user.name, status: 'internal', replies: [], version: 0, createdAt: now, updatedAt: now,
  });
  res.redirect(303, `/documents/${req.params.id}/comments#comment-${r.insertedId}`);
});

const server = app.listen(port, '127.0.0.1', () => console.log(`post ceiling listening at http://127.0.0.1:${port}`));
process.on('SIGTERM', () => {
  server.close(() => void client.close().finally(() => process.exit(0)));
  server.closeAllConnections();
});
