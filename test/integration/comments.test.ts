import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Express } from 'express';
import * as cheerio from 'cheerio';
import { Comment, NationalPosition } from '../../server/comments/model.js';
import { setDisposition } from '../../server/comments/dispositions.js';
import { dropComment, postComment } from '../../server/comments/service.js';
import { DocumentModel } from '../../server/documents/model.js';
import { Conflict, Forbidden, InvalidInput } from '../../server/errors.js';
import { translate } from '../../server/i18n/index.js';
import { signIn, type Agent } from '../helpers/agent.js';
import { testApp, testSystem } from '../helpers/app.js';
import { actorOf, makeDocument, makeUser } from '../helpers/factories.js';
import { childEnv, repoRoot } from '../helpers/server.js';
import { alertOf, commentIdFrom, commentsOf, releaseAs, roundOfComments, setCommentPeriod, storedComment, writeComment } from '../helpers/comments.js';

const run = promisify(execFile);

describe('comments', () => {
  let app: Express;
  before(() => {
    app = testApp();
  });

  const form = (s: { agent: Agent; csrf: string }, url: string, fields: Record<string, string> = {}) => s.agent.post(url).type('form').send({ _csrf: s.csrf, ...fields });
  const summaryRows = (html: string) =>
    cheerio
      .load(html)('[data-test=summary-table] tbody tr')
      .toArray()
      .map((tr) => cheerio.load(tr)('td').toArray().map((td) => cheerio.load(td).text().trim()));


  describe('a national position', () => {
    it('is written by members, reviewed by the head, released with numbers in clause order, then frozen and visible to all', async () => {
      const round = await roundOfComments();
      const { id } = round;
      const memberA = await signIn(app, round.members.BY);
      const memberB = await signIn(app, await makeUser('member', { delegation: 'BY' }));
      const head = await signIn(app, await makeUser('head', { delegation: 'BY' }));
      const post = async (fields: Record<string, string>, who = memberA) => {
        const res = await form(who, `/documents/${id}/comments`, fields).expect(303);
        return commentIdFrom(res.headers.location);
      };

      // Written out of the order of the text: 5, 7, 1, 3, 2.
      const onSafety = await post({ clauseKey: 'safety', type: 'te', text: 'Требования безопасности неполны.', proposedChange: 'Добавить ГОСТ 12.2.007.0.' });
      const onAcceptance = await post({ clauseKey: 'acceptance', type: 'ed', text: 'Опечатка в слове «приёмки».' });
      const onScope = await post({ clauseKey: 'scope', type: 'ge', text: 'Область применения шире, чем нужно.', anchorKind: 'paragraph', anchorRef: '1' }, memberB);
      const onTerms = await post({ clauseKey: 'terms', type: 'te', text: 'Нет термина «кристалл».' });
      const onReferences = await post({ clauseKey: 'normative-references', type: 'ed', text: 'Ссылка на отменённый стандарт.' }, memberB);
      const stored = await storedComment(onSafety);
      assert.equal(stored.status, 'internal');
      assert.equal(stored.delegation, 'BY');
      assert.equal(stored.author.toString(), round.members.BY.id);
      assert.equal(stored.number, null);

      // Another member of the delegation sees it and may reply, but not rewrite it: only its author does.
      const listB = await memberB.agent.get(`/documents/${id}/comments`).expect(200);
      assert.match(cheerio.load(listB.text)(`#comment-${onSafety}`).text(), /Требования безопасности неполны/);
      const showB = await memberB.agent.get(`/documents/${id}/comments/${onSafety}`).expect(200);
      assert.equal(cheerio.load(showB.text)('[data-test=edit-comment]').length, 0);
      assert.match(cheerio.load(showB.text)('[data-test=author-only]').text(), /Изменить текст может только автор/);
      const rewrite = await form(memberB, `/documents/${id}/comments/${onSafety}`, { version: '0', type: 'te', text: 'Чужая правка' }).expect(403);
      assert.match(rewrite.text, /только его автор/);
      await form(memberB, `/documents/${id}/comments/${onSafety}/replies`, { text: 'Согласен, добавим ссылку.' }).expect(303);
      const showA = await memberA.agent.get(`/documents/${id}/comments/${onSafety}`).expect(200);
      const version = cheerio.load(showA.text)('[data-test=edit-comment] input[name=version]').val();
      assert.equal(version, '0');
      await form(memberA, `/documents/${id}/comments/${onSafety}`, { version: '0', type: 'te', text: 'Требования безопасности неполны: нет защиты от статического электричества.', proposedChange: 'Добавить ГОСТ 12.2.007.0.' }).expect(303);
      assert.equal((await storedComment(onSafety)).text, 'Требования безопасности неполны: нет защиты от статического электричества.');
      // An edit made on the old version is refused, and the newer text stays.
      const stale = await form(memberA, `/documents/${id}/comments/${onSafety}`, { version: '0', type: 'te', text: 'Старая правка' }).expect(409);
      assert.match(alertOf(stale), /только что изменил другой участник/);
      assert.equal((await storedComment(onSafety)).text, 'Требования безопасности неполны: нет защиты от статического электричества.');
      // The earlier wording is kept, and the delegation sees it.
      const trail = (await storedComment(onSafety)).edits ?? [];
      assert.deepEqual(trail.map((e) => [e.text, e.byName]), [['Требования безопасности неполны.', round.members.BY.name]]);
      const trailB = cheerio.load((await memberB.agent.get(`/documents/${id}/comments/${onSafety}`).expect(200)).text)('[data-test=edit-trail]');
      assert.match(trailB.text(), /Изменялось 1 раз/);
      assert.match(trailB.text(), /Требования безопасности неполны\./);

      // The head does not rewrite a member's comment; the author edits it, the head merges two into one and drops one.
      await form(head, `/documents/${id}/comments/${onAcceptance}`, { version: '0', type: 'ed', text: 'Правка главы' }).expect(403);
      await form(memberA, `/documents/${id}/comments/${onAcceptance}`, { version: '0', type: 'ed', text: 'Опечатка в заголовке раздела 7.', proposedChange: 'Правила приёмки' }).expect(303);
      // Clearing a field in an edit clears it in storage too.
      await form(memberA, `/documents/${id}/comments/${onAcceptance}`, { version: '1', type: 'ed', text: 'Опечатка в заголовке раздела 7.', proposedChange: '' }).expect(303);
      assert.equal((await storedComment(onAcceptance)).proposedChange ?? null, null);
      const merged = await form(head, `/documents/${id}/comments/${onTerms}/merge`, { into: onScope }).expect(303);
      assert.equal(merged.headers.location, `/documents/${id}/comments/${onScope}`);
      await form(head, `/documents/${id}/comments/${onReferences}/drop`).expect(303);
      assert.equal((await storedComment(onScope)).text, 'Область применения шире, чем нужно.\n\nНет термина «кристалл».');
      assert.equal((await storedComment(onTerms)).status, 'merged');
      assert.equal((await storedComment(onTerms)).mergedInto?.toString(), onScope);
      assert.equal((await storedComment(onReferences)).status, 'dropped');
      assert.equal((await storedComment(onAcceptance)).text, 'Опечатка в заголовке раздела 7.');

      // Before the release nobody outside BY sees anything of it.
      const secretariat = await signIn(app, round.secretariat);
      const russian = await signIn(app, round.members.RU);
      for (const other of [secretariat, russian]) {
        const page = await other.agent.get(`/documents/${id}/comments`).expect(200);
        assert.deepEqual(summaryRows(page.text), []);
        assert.ok(!page.text.includes('Область применения шире'));
      }

      const released = await form(head, `/documents/${id}/position`).expect(303);
      assert.equal(released.headers.location, `/documents/${id}/comments?released=1`);
      const after = await head.agent.get(released.headers.location).expect(200);
      assert.match(after.text, /Национальная позиция направлена/);

      // Numbered in the order of the text, the merged and dropped ones not at all.
      const byId = async (c: string) => (await storedComment(c)).number;
      assert.equal(await byId(onScope), 'BY-001');
      assert.equal(await byId(onSafety), 'BY-002');
      assert.equal(await byId(onAcceptance), 'BY-003');
      assert.equal(await byId(onTerms), null);
      assert.equal(await byId(onReferences), null);
      const position = await NationalPosition.findOne({ document: id, delegation: 'BY' }).lean();
      assert.equal(position?.numbered, true);
      assert.equal(position?.count, 3);

      // Frozen: neither the members nor the head may change them now.
      const edit = await form(memberB, `/documents/${id}/comments/${onSafety}`, { version: '1', type: 'ed', text: 'Поздняя правка' }).expect(409);
      assert.match(alertOf(edit), /больше нельзя менять/);
      const drop = await form(head, `/documents/${id}/comments/${onAcceptance}/drop`).expect(409);
      assert.match(alertOf(drop), /больше нельзя менять/);
      const late = await form(memberA, `/documents/${id}/comments`, { clauseKey: 'scope', type: 'te', text: 'Ещё одно замечание' }).expect(409);
      assert.match(alertOf(late), /позиция вашей делегации уже направлена/);
      assert.equal((await storedComment(onSafety)).text, 'Требования безопасности неполны: нет защиты от статического электричества.');
      assert.equal((await storedComment(onAcceptance)).status, 'released');
      assert.equal(await Comment.countDocuments({ document: id }), 5);
      // The edit trail stays with the delegation: the committee reads the released text only.
      for (const other of [secretariat, russian]) {
        const page = await other.agent.get(`/documents/${id}/comments/${onSafety}`).expect(200);
        assert.equal(cheerio.load(page.text)('[data-test=edit-trail]').length, 0);
        assert.ok(!page.text.includes('Требования безопасности неполны.<'));
      }

      // The secretariat and the other delegation now see them, in clause order.
      for (const other of [secretariat, russian]) {
        const rows = summaryRows((await other.agent.get(`/documents/${id}/comments`).expect(200)).text);
        assert.deepEqual(rows.map((r) => [r[0], r[1], r[2]]), [['BY', 'BY-001', '1'], ['BY', 'BY-002', '5'], ['BY', 'BY-003', '7']]);
        assert.match(rows[0]![5]!, /Область применения шире, чем нужно\.\s+Нет термина «кристалл»\./);
        const show = await other.agent.get(`/documents/${id}/comments/${onSafety}`).expect(200);
        assert.match(cheerio.load(show.text)('h1').text(), /BY-002/);
        assert.equal(cheerio.load(show.text)('[data-test=edit-comment]').length, 0);
        // The dropped and the merged comment stay the delegation's own.
        await other.agent.get(`/documents/${id}/comments/${onReferences}`).expect(404);
        await other.agent.get(`/documents/${id}/comments/${onTerms}`).expect(404);
      }
    });

    it('numbers 200 comments posted at once by members of one delegation without a gap', async function () {
      this.timeout(120_000);
      const { id } = await roundOfComments();
      const members = await Promise.all(Array.from({ length: 10 }, () => makeUser('member', { delegation: 'BY' })));
      const sessions = await Promise.all(members.map((m) => signIn(app, m)));
      const clauses = ['environment', 'scope', 'safety', 'terms', 'acceptance', 'requirements-general', 'normative-references'];
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          form(sessions[i % sessions.length]!, `/documents/${id}/comments`, { clauseKey: clauses[i % clauses.length]!, type: 'te', text: `Замечание № ${i + 1}` }),
        ),
      );
      const statuses = results.map((r) => r.status);
      assert.ok(statuses.every((s) => s === 303), `statuses: ${[...new Set(statuses)].join(',')}`);
      assert.equal(await Comment.countDocuments({ document: id }), 200);
      assert.equal(new Set((await commentsOf(id)).map((c) => c.text)).size, 200);

      await releaseAs(id, 'BY');
      const released = await Comment.find({ document: id }).sort({ seq: 1 }).lean();
      assert.ok(released.every((c) => c.status === 'released'));
      assert.deepEqual(
        released.map((c) => c.number),
        Array.from({ length: 200 }, (_, i) => `BY-${String(i + 1).padStart(3, '0')}`),
      );
      assert.deepEqual(released.map((c) => c.seq), Array.from({ length: 200 }, (_, i) => i + 1));
      // … and in the order of the text.
      const order = ['scope', 'normative-references', 'terms', 'requirements-general', 'safety', 'environment', 'acceptance'];
      const positions = released.map((c) => order.indexOf(c.clauseKey));
      assert.deepEqual(positions, [...positions].sort((a, b) => a - b));
    });

    it('releases a position once when the head presses the button twice at the same moment', async function () {
      this.timeout(60_000);
      const round = await roundOfComments();
      const clauses = ['safety', 'scope', 'acceptance', 'terms', 'environment'];
      await Promise.all(Array.from({ length: 30 }, (_, i) => writeComment(round.id, round.members.BY, { clauseKey: clauses[i % clauses.length]!, text: `№ ${i + 1}` })));
      const head = await signIn(app, await makeUser('head', { delegation: 'BY' }));
      const other = await signIn(app, await makeUser('head', { delegation: 'BY' }));
      const answers = await Promise.all([form(head, `/documents/${round.id}/position`), form(head, `/documents/${round.id}/position`), form(other, `/documents/${round.id}/position`)]);
      const statuses = answers.map((r) => r.status);
      assert.ok(statuses.every((s) => s === 303 || s === 409), `statuses: ${statuses.join(',')}`);
      assert.ok(statuses.includes(303), `statuses: ${statuses.join(',')}`);
      for (const r of answers.filter((a) => a.status === 409)) assert.equal(alertOf(r), 'Национальная позиция BY уже направлена.');
      const released = await Comment.find({ document: round.id }).sort({ seq: 1 }).lean();
      assert.deepEqual(released.map((c) => c.number), Array.from({ length: 30 }, (_, i) => `BY-${String(i + 1).padStart(3, '0')}`));
      const position = await NationalPosition.findOne({ document: round.id, delegation: 'BY' }).lean();
      assert.equal(position?.numbered, true);
      assert.equal(position?.count, 30);
      assert.equal(await NationalPosition.countDocuments({ document: round.id }), 1);
    });

    it('merges only comments of the same document', async () => {
      const first = await roundOfComments();
      const second = await roundOfComments();
      const here = await writeComment(first.id, first.members.BY, { clauseKey: 'scope', text: 'Здесь' });
      const there = await writeComment(second.id, first.members.BY, { clauseKey: 'scope', text: 'В другом документе' });
      const head = await signIn(app, await makeUser('head', { delegation: 'BY' }));
      const res = await form(head, `/documents/${first.id}/comments/${here._id}/merge`, { into: String(there._id) }).expect(404);
      assert.match(cheerio.load(res.text)('main').text(), /Замечание не найдено/);
      assert.equal((await storedComment(here._id)).status, 'internal');
      assert.equal((await storedComment(there._id)).text, 'В другом документе');
    });
  });

  describe('the comment deadline', () => {
    it('accepts a comment one second before the deadline and refuses one a second after, saying when it closed', async () => {
      const round = await roundOfComments();
      const closesAt = new Date('2027-01-31T23:59:00+03:00');
      await setCommentPeriod(round.id, { closesAt });
      const actor = actorOf(round.members.BY);
      const input = { clauseKey: 'scope', type: 'te' as const, text: 'На самой границе срока' };
      const before = await postComment(actor, round.id, input, new Date(closesAt.getTime() - 1000), testSystem().notices);
      assert.equal((await storedComment(before._id)).status, 'internal');

      const late = await postComment(actor, round.id, { ...input, text: 'Секундой позже' }, new Date(closesAt.getTime() + 1000), testSystem().notices).then(
        () => assert.fail('a late comment was accepted'),
        (err: unknown) => err,
      );
      assert.ok(late instanceof Conflict);
      assert.equal((late.params.closedAt as Date).getTime(), closesAt.getTime());
      assert.equal(translate('ru', late.messageKey, late.params), 'Срок отзывов истёк 31.01.2027 23:59 (UTC+3). Замечание не принято.');
      assert.deepEqual((await commentsOf(round.id)).map((c) => c.text), ['На самой границе срока']);
    });

    it('refuses a comment after the deadline even while the scheduled job has not closed the period', async () => {
      const round = await roundOfComments();
      await setCommentPeriod(round.id, { closesAt: new Date('2025-01-31T23:59:00+03:00') });
      const member = await signIn(app, round.members.BY);
      const res = await form(member, `/documents/${round.id}/comments`, { clauseKey: 'scope', type: 'te', text: 'Опоздавшее замечание' }).expect(409);
      assert.equal(alertOf(res), 'Срок отзывов истёк 31.01.2025 23:59 (UTC+3). Замечание не принято.');
      assert.equal((await DocumentModel.findById(round.id).lean())?.state, 'comment');
      assert.equal(await Comment.countDocuments({ document: round.id }), 0);
      // The page says so too, and offers no form.
      const page = cheerio.load((await member.agent.get(`/documents/${round.id}/comments`).expect(200)).text);
      assert.match(page('[data-test=period]').text(), /31\.01\.2025 23:59 \(UTC\+3\).*Срок отзывов истёк/s);
      assert.equal(page('[data-test=new-comment]').length, 0);
    });

    it('reads a committee deadline as the same instant whatever the server’s time zone, across daylight-saving nights', async function () {
      this.timeout(60_000);
      // Nights when Berlin or New York move their clocks in 2027 (and the hours that do not exist there).
      const cases: [string, string][] = [
        ['2027-03-28', '02:30'],
        ['2027-10-31', '02:30'],
        ['2027-03-14', '02:30'],
        ['2027-11-07', '01:30'],
        ['2027-03-28', '23:59'],
      ];
      const expected = cases.map(([d, t]) => {
        const [y, mo, da] = d.split('-').map(Number) as [number, number, number];
        const [h, mi] = t.split(':').map(Number) as [number, number];
        return new Date(Date.UTC(y, mo - 1, da, h, mi) - 3 * 3600_000).toISOString();
      });
      const script = `const { parseCommitteeDeadline } = await import('./server/documents/deadline.ts');
        const { formatInstant } = await import('./server/time/format.ts');
        const cases = ${JSON.stringify(cases)};
        console.log(JSON.stringify(cases.map(([d, t]) => { const at = parseCommitteeDeadline(d, t); return [at.toISOString(), formatInstant(at, 'ru')]; })));`;
      for (const tz of ['Europe/Berlin', 'America/New_York', 'Europe/Minsk', 'UTC']) {
        const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: repoRoot, env: childEnv({ TZ: tz }) });
        const got = JSON.parse(stdout.trim().split('\n').at(-1)!) as [string, string][];
        assert.deepEqual(got.map((g) => g[0]), expected, `TZ=${tz}`);
        assert.deepEqual(
          got.map((g) => g[1]),
          cases.map(([d, t]) => `${d.slice(8, 10)}.${d.slice(5, 7)}.${d.slice(0, 4)} ${t} (UTC+3)`),
          `TZ=${tz}`,
        );
      }
    });
  });

  describe('the ballot guard', () => {
    it('refuses a ballot while released comments lack a disposition, listing exactly those, and opens it once all are answered', async function () {
      this.timeout(60_000);
      const round = await roundOfComments();
      const { id } = round;
      const by1 = await writeComment(id, round.members.BY, { clauseKey: 'safety', text: 'BY о безопасности' });
      const by2 = await writeComment(id, round.members.BY, { clauseKey: 'scope', text: 'BY об области' });
      const by3 = await writeComment(id, round.members.BY, { clauseKey: 'acceptance', text: 'BY о приёмке' });
      const byDropped = await writeComment(id, round.members.BY, { clauseKey: 'terms', text: 'BY исключённое' });
      const byHead = await makeUser('head', { delegation: 'BY' });
      await dropComment(actorOf(byHead), String(byDropped._id), new Date());
      await releaseAs(id, 'BY', byHead);
      const ru1 = await writeComment(id, round.members.RU, { clauseKey: 'terms', text: 'RU о терминах' });
      await releaseAs(id, 'RU');
      const number = async (c: { _id: unknown }) => (await storedComment(String(c._id))).number;
      assert.deepEqual([await number(by2), await number(by1), await number(by3), await number(ru1)], ['BY-001', 'BY-002', 'BY-003', 'RU-001']);

      const secretariat = await signIn(app, round.secretariat);
      // One answered already, before the period closes.
      await form(secretariat, `/documents/${id}/comments/${by1._id}/disposition`, { decision: 'accepted', observation: 'Учтено', appliedInRevision: '1' }).expect(303);
      await form(secretariat, `/documents/${id}/transitions/closeComments`, { note: 'Досрочно' }).expect(303);
      assert.equal((await DocumentModel.findById(id).lean())?.state, 'resolution');

      const refused = await form(secretariat, `/documents/${id}/transitions/openBallot`).expect(409);
      assert.match(alertOf(refused), /на каждый отзыв есть заключение: без заключения 3 отзыва/);
      const $ = cheerio.load(refused.text);
      const listed = $('[data-test=blockers] a').toArray().map((a) => [$(a).text(), $(a).attr('href')]);
      assert.deepEqual(listed, [
        ['BY-001', `/documents/${id}/comments/${by2._id}`],
        ['BY-003', `/documents/${id}/comments/${by3._id}`],
        ['RU-001', `/documents/${id}/comments/${ru1._id}`],
      ]);
      for (const [, href] of listed) await secretariat.agent.get(href!).expect(200);
      assert.equal((await DocumentModel.findById(id).lean())?.state, 'resolution');

      // Rejected needs a reason: refused, nothing stored.
      for (const decision of ['rejected', 'partially']) {
        const noReason = await form(secretariat, `/documents/${id}/comments/${by2._id}/disposition`, { decision, reason: '   ' }).expect(422);
        assert.match(alertOf(noReason), /укажите обоснование/);
        assert.match(cheerio.load(noReason.text)('[data-test=disposition] .error').text(), /укажите обоснование/);
        assert.equal((await storedComment(String(by2._id))).disposition, null);
      }
      await form(secretariat, `/documents/${id}/comments/${by2._id}/disposition`, { decision: 'rejected', reason: 'Область установлена программой работ.' }).expect(303);
      await form(secretariat, `/documents/${id}/comments/${by3._id}/disposition`, { decision: 'noted' }).expect(303);
      const stillOne = await form(secretariat, `/documents/${id}/transitions/openBallot`).expect(409);
      assert.deepEqual(cheerio.load(stillOne.text)('[data-test=blockers] a').toArray().map((a) => cheerio.load(a).text()), ['RU-001']);
      await form(secretariat, `/documents/${id}/comments/${ru1._id}/disposition`, { decision: 'referred', observation: 'На заседание ТК' }).expect(303);

      const stored = await storedComment(String(by2._id));
      assert.equal(stored.disposition?.decision, 'rejected');
      assert.equal(stored.disposition?.reason, 'Область установлена программой работ.');
      assert.equal((await storedComment(String(by1._id))).disposition?.appliedInRevision, 1);

      await form(secretariat, `/documents/${id}/transitions/openBallot`).expect(303);
      const doc = await DocumentModel.findById(id).lean();
      assert.equal(doc?.state, 'ballot');
      assert.equal(doc?.history.filter((e) => e.action === 'openBallot').length, 1);
    });
  });

  describe('bad input', () => {
    let round: Awaited<ReturnType<typeof roundOfComments>>;
    let member: { agent: Agent; csrf: string };
    before(async () => {
      round = await roundOfComments();
      member = await signIn(app, round.members.BY);
    });
    const count = () => Comment.countDocuments({ document: round.id });

    it('refuses a clause that is not in the circulated revision', async () => {
      const res = await form(member, `/documents/${round.id}/comments`, { clauseKey: 'no-such-clause', type: 'te', text: 'Замечание к несуществующему пункту' }).expect(422);
      assert.equal(alertOf(res), 'Выберите пункт из разосланной редакции 1.');
      assert.equal(await count(), 0);
      // What was typed is kept.
      assert.equal(cheerio.load(res.text)('[data-test=new-comment] textarea[name=text]').text(), 'Замечание к несуществующему пункту');
    });

    it('refuses a comment on a document that is not out for comments', async () => {
      const draft = await makeDocument();
      const res = await form(member, `/documents/${draft.id}/comments`, { clauseKey: 'scope', type: 'te', text: 'К проекту' }).expect(409);
      assert.equal(alertOf(res), 'Документ сейчас не на стадии отзывов.');
      assert.equal(await Comment.countDocuments({ document: draft.id }), 0);
    });

    it('refuses a comment from someone of no delegation', async () => {
      for (const role of ['secretariat', 'administrator', 'manufacturer'] as const) {
        const user = await makeUser(role);
        const s = await signIn(app, user);
        const res = await form(s, `/documents/${round.id}/comments`, { clauseKey: 'scope', type: 'te', text: `От ${role}` }).expect(403);
        assert.match(cheerio.load(res.text)('main').text(), /У вас нет прав на это действие/);
        const refused = await postComment(actorOf(user), round.id, { clauseKey: 'scope', type: 'te', text: `От ${role}` }, new Date(), testSystem().notices).then(
          () => undefined,
          (err: unknown) => err,
        );
        assert.ok(refused instanceof Forbidden, role);
        assert.equal(translate('ru', refused.messageKey), 'Замечания пишут члены и руководители делегаций.');
      }
      assert.equal(await count(), 0);
    });

    it('refuses an empty comment and one of 100 000 characters, saying why beside the field', async () => {
      const empty = await form(member, `/documents/${round.id}/comments`, { clauseKey: 'scope', type: 'te', text: '   \n ' }).expect(422);
      assert.equal(alertOf(empty), 'Проверьте выделенные поля.');
      assert.equal(cheerio.load(empty.text)('[data-test=new-comment] .has-error .error').text(), 'Заполните это поле.');
      const long = await form(member, `/documents/${round.id}/comments`, { clauseKey: 'scope', type: 'te', text: 'Ж'.repeat(100_000) }).expect(422);
      assert.match(cheerio.load(long.text)('[data-test=new-comment] .has-error .error').text(), /Не более 10 000 символов/);
      const longProposal = await form(member, `/documents/${round.id}/comments`, { clauseKey: 'scope', type: 'te', text: 'Коротко', proposedChange: 'Ж'.repeat(100_000) }).expect(422);
      assert.match(cheerio.load(longProposal.text)('[data-test=new-comment] .has-error .error').text(), /Не более 10 000 символов/);
      assert.equal(await count(), 0);
      // The service refuses it too, whoever calls it.
      await assert.rejects(postComment(actorOf(round.members.BY), round.id, { clauseKey: 'scope', type: 'te', text: 'Ж'.repeat(100_000) }, new Date(), testSystem().notices));
      assert.equal(await count(), 0);
    });

    it('stores HTML and script as text and escapes it on every page', async function () {
      this.timeout(60_000);
      const evil = (field: string) => `<script>alert("${field}")</script><img src=x onerror=alert(1)>`;
      const res = await form(member, `/documents/${round.id}/comments`, { clauseKey: 'scope', type: 'te', text: evil('text'), proposedChange: evil('proposed'), anchorKind: 'table', anchorRef: `<b>${'1'}</b><script>` }).expect(303);
      const id = commentIdFrom(res.headers.location);
      const stored = await storedComment(id);
      assert.equal(stored.text, evil('text'));
      assert.equal(stored.proposedChange, evil('proposed'));
      assert.equal(stored.anchor?.ref, '<b>1</b><script>');
      await form(member, `/documents/${round.id}/comments/${id}/replies`, { text: evil('reply') }).expect(303);
      // A refused form shows what was typed again, escaped.
      const refused = await form(member, `/documents/${round.id}/comments`, { clauseKey: 'no-such-clause', type: 'te', text: evil('again'), proposedChange: evil('again-proposed'), anchorRef: '<script>' }).expect(422);
      assert.ok(!refused.text.includes('<script>alert'), 'a refused form echoes the script unescaped');

      await releaseAs(round.id, 'BY');
      const secretariat = await signIn(app, round.secretariat);
      await form(secretariat, `/documents/${round.id}/comments/${id}/disposition`, { decision: 'partially', reason: evil('reason'), observation: evil('observation') }).expect(303);
      assert.equal((await storedComment(id)).disposition?.reason, evil('reason'));

      const pages = [`/documents/${round.id}/comments`, `/documents/${round.id}/comments/${id}`, `/documents/${round.id}/comments/statistics`];
      for (const s of [member, secretariat]) {
        for (const url of pages) {
          const page = await s.agent.get(url).expect(200);
          // The pages carry no script of their own, so any `<script` would be what someone typed.
          for (const raw of ['<script', '<img src=x', '<b>1</b>']) assert.ok(!page.text.includes(raw), `${url} shows ${raw} unescaped`);
        }
      }
      const show = await secretariat.agent.get(`/documents/${round.id}/comments/${id}`).expect(200);
      assert.ok(show.text.includes('&lt;script&gt;alert(&quot;text&quot;)&lt;/script&gt;'));
      // The reply was the delegation's internal discussion: its own member reads it (escaped), the secretariat never does.
      assert.ok(!show.text.includes('alert(&quot;reply&quot;)'));
      const own = await member.agent.get(`/documents/${round.id}/comments/${id}`).expect(200);
      assert.ok(own.text.includes('&lt;script&gt;alert(&quot;reply&quot;)&lt;/script&gt;'));
      assert.ok(show.text.includes('&lt;script&gt;alert(&quot;reason&quot;)&lt;/script&gt;'));
      const $ = cheerio.load(show.text);
      assert.equal($('.ctext.big').text(), evil('text'), 'a reader sees exactly what was typed');
    });

    it('refuses a disposition without a reason where one is required, and one on an unreleased comment', async () => {
      const r = await roundOfComments();
      const c = await writeComment(r.id, r.members.BY, { clauseKey: 'scope' });
      const secretariat = actorOf(r.secretariat);
      const notYet = await setDisposition(secretariat, String(c._id), { decision: 'accepted' }, new Date()).then(() => undefined, (e: unknown) => e);
      // An unreleased comment is not even there for the secretariat.
      assert.ok(notYet instanceof Error && /notFound/.test((notYet as { messageKey?: string }).messageKey ?? ''), String(notYet));
      await releaseAs(r.id, 'BY');
      for (const decision of ['rejected', 'partially'] as const) {
        const err = await setDisposition(secretariat, String(c._id), { decision }, new Date()).then(() => undefined, (e: unknown) => e);
        assert.ok(err instanceof InvalidInput);
        assert.equal(translate('ru', err.messageKey), 'При отклонении и частичном принятии укажите обоснование.');
      }
      const unknownRevision = await setDisposition(secretariat, String(c._id), { decision: 'accepted', appliedInRevision: 7 }, new Date()).then(() => undefined, (e: unknown) => e);
      assert.ok(unknownRevision instanceof InvalidInput);
      assert.equal((await storedComment(c._id)).disposition, null);
      const member = await signIn(app, r.members.RU);
      await form(member, `/documents/${r.id}/comments/${c._id}/disposition`, { decision: 'accepted' }).expect(403);
      assert.equal((await storedComment(c._id)).disposition, null);
    });
  });
});
