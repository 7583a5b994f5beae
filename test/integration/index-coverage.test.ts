// Every query the application makes has an index that serves it on MongoDB. The embedded engine accepts
// non-unique indexes and does not use them (docs/engine.md), so no speed test here could notice a missing
// one: this test records the queries of a representative journey (test/helpers/journey.ts) as the driver
// sends them, and checks each shape against the indexes the models declare (test/helpers/index-rule.ts).
// `INDEX_COVERAGE_REPORT=1` prints every shape with the index that serves it.
import assert from 'node:assert/strict';
import type { Express } from 'express';
import { testApp } from '../helpers/app.js';
import { uniqueTitle } from '../helpers/comments.js';
import { fieldsOf, recordQueries, shapeKey, type QueryShape } from '../helpers/query-shapes.js';
import { mongoose } from '../../server/db/mongoose.js';
import { peopleCondition, userStatuses, type PeopleFilter } from '../../server/users/list.js';
import { roles } from '../../server/users/model.js';
import { databaseIndexes, schemaIndexes, servedBy, type RegisteredIndex } from '../helpers/index-rule.js';
import { account, administration, background, ballot, castOf, commenting, drafting, failedBallot, meeting, programme, publication, reading, resolution } from '../helpers/journey.js';

/**
 * Shapes that need no index, each with the reason. Point reads by _id, and whole small collections read in
 * the order of their unique code (delegations, product groups), are served by registered indexes and need
 * no entry here.
 */
const NEEDS_NO_INDEX: Record<string, string> = {
  'documents find {} $or [{publication:other} | {withdrawal:other}]':
    'the days-as-text migration (server/db/migrations/days-as-text.ts): once per database, at the start-up that applies it, it reads the documents it may rewrite',
  'designations find {}': 'the same migration reads the designation register once, whole',
  'comments aggregate {order:other}': 'the comment-order migration (server/db/migrations/comment-order.ts): once per database, it groups the comments written before they had an order',
  'nationalpositions find {}': 'the released-positions migration (server/db/migrations/released-positions.ts): once per database, it reads every position to record it on its document',
  'users find {searchWords:other}': 'the people-search-words migration (server/db/migrations/people-search-words.ts): once per database, it reads the accounts stored before they had their search words',
  'users count {}': 'how many people in all, for the people list unfiltered: estimatedDocumentCount reads the collection\'s own count, no document',
  'documents count {}': 'how many documents in all, for the committee\'s list: estimatedDocumentCount reads the collection\'s own count, no document',
};

/** Every combination of the people list's filters: none or each value of each, the search of one word or two. */
function everyPeopleFilter(): PeopleFilter[] {
  const out: PeopleFilter[] = [];
  for (const q of [undefined, 'ольга', 'ольга новикова'])
    for (const delegation of [undefined, 'BY'])
      for (const role of [undefined, ...roles])
        for (const status of [undefined, ...userStatuses]) out.push({ q, delegation, role, status });
  return out;
}

async function journey(app: Express): Promise<void> {
  const cast = await castOf(app);
  await administration(cast);
  await account(app, cast);
  const id = await drafting(cast, uniqueTitle('Микросхемы интегральные'));
  await programme(cast, id);
  await commenting(cast, id);
  await meeting(cast, id);
  await resolution(cast, id);
  await ballot(cast, id);
  await publication(app, cast, id);
  await reading(app, cast, id);
  await failedBallot(cast);
  await background();
}

describe('index coverage', function () {
  this.timeout(180_000);
  let shapes: Map<string, QueryShape>;
  let served: Map<string, string | undefined>;

  before(async () => {
    const recorder = await recordQueries();
    try {
      await journey(testApp());
      shapes = recorder.shapes();
    } finally {
      await recorder.stop();
    }
    // Collections no model owns (GridFS, agenda's jobs, the rate limiter, migrations) keep the indexes their owners made.
    const models = schemaIndexes();
    const others = await databaseIndexes([...new Set([...shapes.values()].map((s) => s.collection))].filter((c) => !models.has(c)));
    const indexesOf = (c: string): RegisteredIndex[] => models.get(c) ?? others.get(c)!;
    served = new Map([...shapes].map(([key, s]) => [key, servedBy(s, indexesOf(s.collection))]));
    if (process.env.INDEX_COVERAGE_REPORT) {
      for (const key of [...served.keys()].sort()) console.log(`  ${key}\n      ${served.get(key) ?? `no index: ${NEEDS_NO_INDEX[key] ?? 'MISSING'}`}`);
    }
  });

  it('records the queries of every feature', () => {
    const collections = new Set([...shapes.values()].map((s) => s.collection));
    for (const c of ['users', 'sessions', 'apitokens', 'onetimelinks', 'documents', 'revisions', 'comments', 'nationalpositions', 'ballots', 'designations', 'amendmentnumbers', 'publications.files', 'subscriptions', 'noticelogs', 'missedreactions', 'jobs']) {
      assert.ok(collections.has(c), `the journey makes no query on ${c}`);
    }
  });

  it('finds an index on MongoDB for every query shape', () => {
    const missing = [...served].filter(([key, by]) => by === undefined && !(key in NEEDS_NO_INDEX)).map(([key]) => key);
    assert.deepEqual(missing, [], `query shapes that no registered index serves (declare one on the model, or say in NEEDS_NO_INDEX why none is needed):\n  ${missing.join('\n  ')}`);
  });

  it('serves every combination of the people list\'s search and filters, its page and its count, by an index', () => {
    const indexes = schemaIndexes().get('users')!;
    const unserved: string[] = [];
    for (const f of everyPeopleFilter()) {
      const where = fieldsOf(peopleCondition(f, f.delegation ? new mongoose.Types.ObjectId() : undefined));
      // The count of everybody is no query (NEEDS_NO_INDEX); any filter is counted through an index.
      const shapes: QueryShape[] = [{ collection: 'users', op: 'find', ...where, sort: [['name', 1], ['_id', 1]], single: false }];
      if (Object.keys(where.fields).length) shapes.push({ collection: 'users', op: 'aggregate', ...where, sort: [], single: false });
      for (const shape of shapes) if (!servedBy(shape, indexes)) unserved.push(`${JSON.stringify(f)}: ${shapeKey(shape)}`);
    }
    assert.deepEqual(unserved, []);
  });

  it('lists in NEEDS_NO_INDEX only shapes the journey makes and no index serves', () => {
    const stale = Object.keys(NEEDS_NO_INDEX).filter((key) => !shapes.has(key) || served.get(key) !== undefined);
    assert.deepEqual(stale, []);
  });
});
