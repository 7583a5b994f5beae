import assert from 'node:assert/strict';
import { testSystem } from '../helpers/app.js';
import { systemClock } from '../../server/time/clock.js';
import { CLAUSE_KINDS, danglingReferences, validateClauses, type Clause } from '../../server/text/clauses.js';
import { DocumentModel, Revision } from '../../server/documents/model.js';
import { numberClauses } from '../../server/text/numbering.js';
import { compareRevisions } from '../../server/text/redline.js';
import { missingMandatoryClauses } from '../../server/documents/templates.js';
import { mongoose } from '../../server/db/mongoose.js';
import { Delegation } from '../../server/delegations/model.js';
import { demoDocuments, referencedKeys, revisionTexts, templateOf } from '../../server/demo/content.js';
import { DemoRefused, loadDemo, refusal } from '../../server/demo/load.js';
import { DEMO_PASSWORD, demoPeople } from '../../server/demo/people.js';
import { User } from '../../server/users/model.js';
import { checkNewPassword } from '../../server/users/password-policy.js';
import { testEnv } from '../helpers/env.js';
import { makeUser } from '../helpers/factories.js';
import { runCommand } from '../helpers/server.js';

/** Designations such as «ГОСТ 8» must not match «ГОСТ 8026» or «ГОСТ 8.417». */
const cites = (text: string, designation: string) =>
  new RegExp(`${designation.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(?![\\d]|[.-]\\d)`).test(text);

function allText(clauses: readonly Clause[]): string {
  return clauses.filter((c) => c.kind !== 'reference').flatMap((c) => [
    c.body, c.heading, c.term?.definition, c.requirement?.value, c.table?.caption, ...(c.table ? [...c.table.header, ...c.table.rows.flat()] : []),
  ]).filter(Boolean).join('\n');
}

describe('demo data (npm run demo)', () => {
  const templates = () => testEnv().templates;

  describe('the texts', () => {
    for (const doc of demoDocuments) {
      describe(doc.slug, () => {
        it('has revisions that pass every clause rule, keep the mandatory clauses and number without error', () => {
          for (const [i, clauses] of revisionTexts(doc, templates()).entries()) {
            const where = `${doc.slug} revision ${i + 1}`;
            assert.deepEqual(validateClauses(clauses), [], where);
            assert.deepEqual(danglingReferences(clauses), [], where);
            assert.deepEqual(missingMandatoryClauses(templateOf(doc, templates()), clauses), [], where);
            assert.ok(clauses.length >= 40, `${where}: ${clauses.length} clauses`);
            const labels = numberClauses(clauses);
            const annexes = clauses.filter((c) => c.annex).map((c) => labels.get(c.key)?.text.ru);
            assert.equal(annexes[0], 'Приложение А', where);
          }
        });

        it('links every requirement to a test-method clause, never to another requirement', () => {
          for (const clauses of revisionTexts(doc, templates())) {
            const byKey = new Map(clauses.map((c) => [c.key, c]));
            for (const r of clauses.filter((c) => c.kind === 'requirement')) {
              const method = byKey.get(r.requirement?.methodKey ?? '');
              assert.ok(method, `${r.key} has no test method`);
              assert.ok(['text', 'section'].includes(method.kind), `${r.key} → ${method.key} is a ${method.kind}`);
            }
          }
        });

        it('cites every normative reference in its text, and lists the bibliography in order of first citation', () => {
          for (const clauses of revisionTexts(doc, templates())) {
            const text = allText(clauses);
            for (const ref of clauses.filter((c) => c.kind === 'reference')) {
              assert.ok(cites(text, ref.reference!.designation), `${doc.slug}: ${ref.reference!.designation} is listed but never cited`);
            }
            const entries = clauses.filter((c) => c.kind === 'bibliography').map((c) => c.key);
            const cited = [...new Set(clauses.flatMap((c) => referencedKeys(c)).filter((k) => entries.includes(k)))];
            assert.deepEqual(cited, entries, `${doc.slug}: bibliography order`);
          }
        });
      });
    }

    it('writes the three committee documents with every kind of clause, requirement tables, terms, an annex and a bibliography', () => {
      const main = demoDocuments.filter((d) => d.clauses);
      assert.deepEqual(main.map((d) => d.kind).sort(), ['general-technical-requirements', 'specifications', 'test-methods']);
      for (const doc of main) {
        const clauses = revisionTexts(doc, templates())[0]!;
        assert.deepEqual([...new Set(clauses.map((c) => c.kind))].sort(), [...CLAUSE_KINDS].sort(), doc.slug);
        assert.ok(clauses.filter((c) => c.kind === 'requirement').length >= 8, doc.slug);
        assert.ok(clauses.filter((c) => c.kind === 'table').length >= 3, doc.slug);
        assert.ok(clauses.filter((c) => c.kind === 'term').length >= 5, doc.slug);
        assert.ok(clauses.some((c) => c.annex === 'normative') && clauses.some((c) => c.annex === 'informative'), doc.slug);
        assert.ok(clauses.filter((c) => c.kind === 'bibliography').length >= 3, doc.slug);
      }
    });

    it('makes revision 2 of the laser machines a real revision: added, removed, changed and moved clauses', () => {
      const laser = demoDocuments.find((d) => d.revision2)!;
      const [one, two] = revisionTexts(laser, templates());
      const { counts } = compareRevisions(one!, two!);
      assert.ok(counts.added >= 1 && counts.removed >= 1 && counts.changed >= 4 && counts.moved >= 1, JSON.stringify(counts));
    });

    it('has a committee whose password passes the policy and whose e-mail addresses are unique', () => {
      checkNewPassword(DEMO_PASSWORD);
      assert.equal(new Set(demoPeople.map((p) => p.email)).size, demoPeople.length);
      const count = (role: string, delegation?: string) => demoPeople.filter((p) => p.role === role && p.delegation === delegation).length;
      assert.deepEqual(
        [count('administrator'), count('secretariat'), count('head', 'BY'), count('member', 'BY'), count('head', 'RU'), count('member', 'RU'), count('manufacturer')],
        [1, 2, 1, 2, 1, 2, 2],
      );
      assert.equal(demoPeople[0]!.role, 'administrator');
    });
  });

  describe('loading', () => {
    it('refuses a database that already has accounts, and changes nothing', async () => {
      await makeUser('member', { delegation: 'BY' });
      const counts = async () => [await User.countDocuments({}), await DocumentModel.countDocuments({}), await Revision.countDocuments({}), await Delegation.countDocuments({})];
      const before = await counts();
      await assert.rejects(loadDemo({ templates: templates(), lifecycle: testSystem().lifecycle, clock: systemClock }), (err: Error) => err instanceof DemoRefused && err.message === refusal);
      assert.deepEqual(await counts(), before);
    });

    it('fills an empty database through the real command, and refuses to run a second time', async function () {
      this.timeout(180_000);
      const uri = testEnv().mongoUri.replace(/\/[^/?]*(\?|$)/, `/accord_demo_${process.pid}$1`);
      const run = () => runCommand('server/cli/demo.ts', [], { NODE_ENV: 'test', MONGODB_URI: uri, PUBLIC_URL: 'http://accord.test' });
      const db = await mongoose.createConnection(uri).asPromise();
      try {
        const first = await run();
        assert.equal(first.code, 0, first.err);
        assert.match(first.out, /admin@accord\.example/);
        assert.match(first.out, new RegExp(DEMO_PASSWORD));
        assert.match(first.out, /http:\/\/accord\.test\/sign-in/);
        assert.match(first.out, /\/compare\?from=1&to=2/);

        const users = await db.collection('users').find({}, { projection: { email: 1, role: 1, passwordHash: 1 } }).toArray();
        assert.deepEqual(users.map((u) => u.email).sort(), demoPeople.map((p) => p.email).sort());
        assert.ok(users.every((u) => typeof u.passwordHash === 'string' && u.passwordHash.startsWith('$argon2id$')));

        const docs = await db.collection('documents').find({}, { projection: { titles: 1, state: 1, currentRevision: 1, history: 1, commentPeriod: 1 } }).toArray();
        assert.deepEqual(docs.map((d) => d.state).sort(), ['cancelled', 'comment', 'draft', 'draft']);
        const laser = docs.find((d) => d.titles.ru.startsWith('Станки лазерные'))!;
        assert.equal(laser.currentRevision, 2);
        assert.deepEqual(laser.history.map((e: { action: string }) => e.action), ['create', 'circulate', 'closeComments', 'newRound', 'newRevision']);
        const ics = docs.find((d) => d.state === 'comment')!;
        assert.ok(ics.commentPeriod.closesAt.getTime() > Date.now());

        const revisions = await db.collection('revisions').find({}, { projection: { document: 1, number: 1, frozen: 1, clauses: 1 } }).toArray();
        assert.equal(revisions.length, 5);
        for (const r of revisions) {
          assert.deepEqual(validateClauses(r.clauses), []);
          assert.deepEqual(danglingReferences(r.clauses), []);
          assert.ok(r.clauses.length >= 40);
        }
        const laserRevisions = revisions.filter((r) => String(r.document) === String(laser._id)).sort((a, b) => a.number - b.number);
        assert.deepEqual(laserRevisions.map((r) => r.frozen), [true, false]);

        const second = await run();
        assert.equal(second.code, 1);
        assert.equal(second.err.trim(), refusal);
        assert.equal(await db.collection('users').countDocuments({}), users.length);
      } finally {
        await db.dropDatabase().catch(() => undefined);
        await db.close();
      }
    });
  });
});
