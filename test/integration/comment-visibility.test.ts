import assert from 'node:assert/strict';
import type { Express } from 'express';
import * as cheerio from 'cheerio';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { dropComment } from '../../server/comments/service.js';
import { listProductGroups } from '../../server/documents/product-groups.js';
import { registeredRoutes } from '../../server/http/route-table.js';
import { anonymousAgent, signIn, tokenFor, type Agent } from '../helpers/agent.js';
import { testApp } from '../helpers/app.js';
import { actorOf, delegationId, makeUser, type MadeUser } from '../helpers/factories.js';
import { PdfFile } from '../unit/pdf/tools.js';
import { binaryParser, parseCsv, releaseAs, roundOfComments, storedComment, uniqueTitle, writeComment } from '../helpers/comments.js';

describe('comments', () => {
  let app: Express;
  before(() => {
    app = testApp();
  });

  const form = (s: { agent: Agent; csrf: string }, url: string, fields: Record<string, string> = {}) => s.agent.post(url).type('form').send({ _csrf: s.csrf, ...fields });


  describe('who sees an unreleased comment', () => {
    const marker = `MARKER${Date.now().toString(36)}x7q`;
    const droppedMarker = `DROPPED${Date.now().toString(36)}z9w`;
    const replyMarker = `REPLY${Date.now().toString(36)}k3j`;
    let docId = '';
    let commentId = '';
    let droppedId = '';
    const callers: { label: string; agent?: Agent; bearer?: string }[] = [];
    let byMember: { agent: Agent; csrf: string };
    /** The comment's own delegation through the API: a member's token and the head's. */
    const own: { label: string; bearer: string }[] = [];
    let ruCommentId = '';
    const fixtures = { userId: '', delegationId: '', productGroupId: '' };

    before(async function () {
      this.timeout(60_000);
      const round = await roundOfComments(uniqueTitle('Станки лазерные'));
      docId = round.id;
      const byHead = await makeUser('head', { delegation: 'BY' });
      const c = await writeComment(docId, round.members.BY, { clauseKey: 'scope', anchorKind: 'paragraph', anchorRef: `абзац ${marker}`, text: `Текст ${marker} замечания`, proposedChange: `Изменить ${marker}` });
      commentId = String(c._id);
      const d = await writeComment(docId, round.members.BY, { clauseKey: 'safety', type: 'ge', text: `Исключённое ${droppedMarker}`, proposedChange: `Предложение ${droppedMarker}` });
      droppedId = String(d._id);
      await dropComment(actorOf(byHead), droppedId, new Date());
      byMember = await signIn(app, round.members.BY);
      await form(byMember, `/documents/${docId}/comments/${commentId}/replies`, { text: `Обсуждение ${replyMarker}` }).expect(303);
      // RU has released one comment, so that every page and export has something to show.
      ruCommentId = String((await writeComment(docId, round.members.RU, { clauseKey: 'terms', type: 'ed', text: 'Замечание делегации RU' }))._id);
      await releaseAs(docId, 'RU');
      own.push({ label: 'token of member BY', bearer: await tokenFor(round.members.BY) }, { label: 'token of head BY', bearer: await tokenFor(byHead) });

      fixtures.userId = round.members.RU.id;
      fixtures.delegationId = String(await delegationId('RU'));
      fixtures.productGroupId = String((await listProductGroups())[0]!._id);
      const people: [string, MadeUser][] = [
        ['member RU', round.members.RU],
        ['head RU', await makeUser('head', { delegation: 'RU' })],
        ['secretariat', round.secretariat],
        ['administrator', await makeUser('administrator')],
        ['manufacturer', await makeUser('manufacturer')],
      ];
      callers.push({ label: 'anonymous', agent: (await anonymousAgent(app)).agent });
      for (const [label, user] of people) {
        callers.push({ label, agent: (await signIn(app, user)).agent });
        callers.push({ label: `token of ${label}`, bearer: await tokenFor(user) });
      }
    });

    /** Every GET the app registers, with its parameters filled, and the comment pages with their filters. */
    function urls(): string[] {
      const out: string[] = [];
      for (const r of registeredRoutes(app).filter((r) => r.method === 'GET')) {
        const url = r.path.replace(/:(\w+)/g, (_, name: string) => {
          if (name === 'id' && r.path.startsWith('/admin/users/')) return fixtures.userId;
          if (name === 'id' && r.path.startsWith('/admin/delegations/')) return fixtures.delegationId;
          if (name === 'id' && r.path.startsWith('/admin/product-groups/')) return fixtures.productGroupId;
          if (name === 'id') return docId;
          if (name === 'commentId') return commentId;
          if (name === 'number') return '1';
          if (name === 'key') return 'scope';
          if (name === 'lang') return 'ru';
          return 'x'.repeat(43);
        });
        out.push(url);
        if (r.path.startsWith('/documents/:id/comments') || r.path.startsWith('/api/documents/:id/comments') || r.path === '/api/documents/:id/comment-summary') {
          for (const q of ['round=1', 'round=1&delegation=BY', 'delegation=BY&type=te', 'clause=scope', 'disposition=none', 'type=te&disposition=none&clause=scope']) out.push(`${url}?${q}`);
        }
        if (r.path === '/documents/:id/comments/:commentId' || r.path === '/api/documents/:id/comments/:commentId') out.push(url.replace(commentId, droppedId));
        if (r.path === '/documents/:id/compare' || r.path.startsWith('/api/documents/:id/compare')) out.push(`${url}?from=1&to=1`);
      }
      return out;
    }

    let pdfsRead = 0;
    /** Everything a caller can read in an answer: the body, for a spreadsheet every cell, for a PDF its text. */
    async function readable(res: request.Response): Promise<string> {
      const body = res.body as Buffer;
      let text = body.toString('utf8') + JSON.stringify(res.headers);
      if (String(res.headers['content-type']).includes('spreadsheetml')) {
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(body as unknown as ArrayBuffer);
        wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((cell) => (text += `\n${String(cell.value)}`))));
      }
      if (String(res.headers['content-type']).startsWith('application/pdf')) {
        // The text as a PDF reader extracts it (the streams themselves are compressed).
        const pdf = new PdfFile(body);
        try {
          const extracted = pdf.text();
          if (extracted.trim()) pdfsRead++;
          text += `\n${extracted}`;
        } finally {
          pdf.remove();
        }
      }
      return text;
    }

    function get(caller: (typeof callers)[number], url: string, json = false) {
      const req = caller.agent ? caller.agent.get(url) : request(app).get(url).set('Authorization', `Bearer ${caller.bearer}`);
      if (json) req.set('Accept', 'application/json');
      return req.buffer(true).parse(binaryParser);
    }

    it('shows the marker to its own delegation (so that the walk below could find it)', async () => {
      const page = await get({ label: 'BY', agent: byMember.agent }, `/documents/${docId}/comments`);
      assert.ok((await readable(page)).includes(marker));
      const show = await get({ label: 'BY', agent: byMember.agent }, `/documents/${docId}/comments/${commentId}`);
      assert.ok((await readable(show)).includes(replyMarker));
    });

    it('lets no byte of it reach RU, the secretariat, the administrator, a manufacturer, an anonymous caller or a token, by any GET route', async function () {
      this.timeout(180_000);
      const leaks: string[] = [];
      const errors: string[] = [];
      const list = urls();
      assert.ok(list.length > 40, `only ${list.length} URLs`);
      for (const caller of callers) {
        for (const url of list) {
          for (const json of url.startsWith('/documents/') && url.includes('/comments') ? [false, true] : [false]) {
            const res = await get(caller, url, json);
            if (res.status >= 500) errors.push(`${caller.label} GET ${url}: ${res.status}`);
            const text = await readable(res);
            for (const m of [marker, droppedMarker, replyMarker]) if (text.includes(m)) leaks.push(`${caller.label} GET ${url}${json ? ' (JSON)' : ''} shows ${m === marker ? 'the comment' : m === droppedMarker ? 'the dropped comment' : 'the reply'}`);
          }
        }
      }
      assert.deepEqual(errors, []);
      assert.ok(pdfsRead > 0, 'no PDF was read');
      assert.deepEqual(leaks, []);
    });

    it('does not count it either: the summary, exports and statistics hold only the released RU comment', async () => {
      const secretariat = callers.find((c) => c.label === 'secretariat')!;
      const memberRu = callers.find((c) => c.label === 'member RU')!;
      for (const caller of [secretariat, memberRu]) {
        const stats = cheerio.load((await get(caller, `/documents/${docId}/comments/statistics?round=1`).expect(200)).body.toString());
        const rows = stats('[data-test=stats] tbody tr').toArray().map((tr) => stats(tr).find('td').toArray().map((td) => stats(td).text().trim()));
        const byRows = rows.filter((r) => r[0] === 'BY');
        assert.ok(byRows.every((r) => r.slice(2).every((n) => n === '0')), `BY counts: ${JSON.stringify(byRows)}`);
        assert.equal(rows.filter((r) => r[0] === 'RU').reduce((s, r) => s + Number(r.at(-1)), 0), 1);
        assert.ok(!stats('[data-test=chart]').text().includes('BY'), 'the chart has no BY bar');
        const csv = parseCsv((await get(caller, `/documents/${docId}/comments/export.csv`).expect(200)).body.toString('utf8').slice(1));
        assert.deepEqual(csv.slice(1).map((r) => r[0]), ['RU']);
        const page = cheerio.load((await get(caller, `/documents/${docId}/comments?delegation=BY`).expect(200)).body.toString());
        assert.equal(page('[data-test=summary-table] tbody tr').length, 0);
      }
    });

    // The same cases through the JSON API (docs/comments-api.md), with each caller above and the comment's own
    // delegation's tokens: what the pages show, the API lists and reads; what they hide, it does not find.
    function api(caller: { agent?: Agent; bearer?: string }, url: string) {
      const req = caller.agent ? caller.agent.get(url) : request(app).get(url).set('Authorization', `Bearer ${caller.bearer}`);
      return req.set('Accept', 'application/json');
    }
    /** What a caller of this label is answered when the comment stage is not theirs at all. */
    const outsider = (label: string) => (label === 'anonymous' ? 401 : label.includes('manufacturer') ? 403 : undefined);

    it('lists and reads it through the API for its own delegation’s tokens, with the reply and the dropped one', async () => {
      for (const caller of own) {
        const list = (await api(caller, `/api/documents/${docId}/comments`).expect(200)).body;
        const internal = new Map((list.internal as { id: string; status: string }[]).map((c) => [c.id, c.status]));
        assert.equal(internal.get(commentId), 'internal', caller.label);
        assert.equal(internal.get(droppedId), 'dropped', caller.label);
        assert.ok(JSON.stringify(list).includes(droppedMarker), caller.label);
        const one = (await api(caller, `/api/documents/${docId}/comments/${commentId}`).expect(200)).body;
        assert.ok(one.anchor.ref.includes(marker) && one.text.includes(marker) && one.proposedChange.includes(marker), caller.label);
        assert.ok(one.replies.some((r: { text: string; internal: boolean }) => r.text.includes(replyMarker) && r.internal), caller.label);
        // A dropped comment has no page of its own, on the pages as in the API: it is shown in the list.
        await api(caller, `/api/documents/${docId}/comments/${droppedId}`).expect(404);
      }
    });

    it('through the API, lists and reads it for no other caller: each is answered as on the pages', async function () {
      this.timeout(60_000);
      const wrong: string[] = [];
      for (const caller of callers) {
        const refused = outsider(caller.label);
        for (const q of ['', '?round=1', '?delegation=BY', '?clause=scope', '?disposition=none']) {
          for (const url of [`/api/documents/${docId}/comments${q}`, `/api/documents/${docId}/comment-summary${q}`]) {
            const res = await api(caller, url);
            if (res.status !== (refused ?? 200)) wrong.push(`${caller.label} GET ${url}: ${res.status}`);
            if (res.status !== 200) continue;
            if (url.includes('/comment-summary')) {
              if (res.body.rows.some((r: { mb: string }) => r.mb !== 'RU')) wrong.push(`${caller.label} GET ${url}: a row not of RU`);
            } else {
              if (res.body.internal.length) wrong.push(`${caller.label} GET ${url}: internal comments of another delegation`);
              if (res.body.released.comments.some((c: { delegation: string }) => c.delegation !== 'RU')) wrong.push(`${caller.label} GET ${url}: a released comment not of RU`);
            }
          }
        }
        // The summary's files by content negotiation, read as a person would read them.
        for (const type of ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/pdf']) {
          const req = caller.agent ? caller.agent.get(`/api/documents/${docId}/comment-summary`) : request(app).get(`/api/documents/${docId}/comment-summary`).set('Authorization', `Bearer ${caller.bearer}`);
          const res = await req.set('Accept', type).buffer(true).parse(binaryParser);
          if (res.status !== (refused ?? 200)) wrong.push(`${caller.label} GET the summary as ${type}: ${res.status}`);
          if (res.status === 200 && !String(res.headers['content-type']).startsWith(type)) wrong.push(`${caller.label} GET the summary as ${type}: ${res.headers['content-type']}`);
          const text = await readable(res);
          for (const m of [marker, droppedMarker, replyMarker]) if (text.includes(m)) wrong.push(`${caller.label} GET the summary as ${type} shows a BY marker`);
        }
        for (const id of [commentId, droppedId]) {
          const res = await api(caller, `/api/documents/${docId}/comments/${id}`);
          if (res.status !== (refused ?? 404)) wrong.push(`${caller.label} GET comment ${id === commentId ? 'internal' : 'dropped'}: ${res.status}`);
        }
      }
      assert.deepEqual(wrong, []);
    });

    it('does not count it in the API’s summary and statistics either', async () => {
      for (const caller of callers.filter((c) => c.label === 'token of secretariat' || c.label === 'token of member RU' || c.label === 'secretariat')) {
        const summary = (await api(caller, `/api/documents/${docId}/comment-summary?round=1`).expect(200)).body;
        assert.deepEqual(summary.rows.map((r: { mb: string }) => r.mb), ['RU'], caller.label);
        assert.deepEqual(summary.statistics.delegations, ['RU'], caller.label);
        assert.equal(summary.statistics.total, 1, caller.label);
        const byOnly = (await api(caller, `/api/documents/${docId}/comments?delegation=BY`).expect(200)).body;
        assert.equal(byOnly.released.total, 0, caller.label);
      }
    });

    it('keeps a dropped comment the delegation’s own even after the position is released', async function () {
      this.timeout(60_000);
      await releaseAs(docId, 'BY');
      assert.equal((await storedComment(commentId)).number, 'BY-001');
      const leaks: string[] = [];
      const commentUrls = urls().filter((u) => u.startsWith(`/documents/${docId}`) || u.startsWith(`/api/documents/${docId}`));
      for (const caller of callers) {
        for (const url of commentUrls) {
          const text = await readable(await get(caller, url));
          if (text.includes(droppedMarker)) leaks.push(`${caller.label} GET ${url}`);
        }
      }
      assert.deepEqual(leaks, []);
      // The released one is now the committee's.
      const secretariat = callers.find((c) => c.label === 'secretariat')!;
      assert.ok((await readable(await get(secretariat, `/documents/${docId}/comments`))).includes(marker));
    });
    it('after the release, the API shows the released comment to the committee without the delegation’s discussion, and a disposition to all who see it', async function () {
      this.timeout(60_000);
      const secretariatToken = callers.find((c) => c.label === 'token of secretariat')!;
      await request(app).post(`/api/documents/${docId}/comments/${ruCommentId}/disposition`).set('Authorization', `Bearer ${secretariatToken.bearer}`).send({ decision: 'noted', observation: 'Принято к сведению' }).expect(200);
      const wrong: string[] = [];
      for (const caller of [...callers, ...own]) {
        const refused = outsider(caller.label);
        const mine = own.includes(caller as (typeof own)[number]);
        const one = await api(caller, `/api/documents/${docId}/comments/${commentId}`);
        if (one.status !== (refused ?? 200)) wrong.push(`${caller.label} GET the released comment: ${one.status}`);
        if (one.status === 200) {
          if (one.body.number !== 'BY-001') wrong.push(`${caller.label}: number ${one.body.number}`);
          const sawReply = one.body.replies.some((r: { text: string }) => r.text.includes(replyMarker));
          if (sawReply !== mine) wrong.push(`${caller.label}: the delegation's discussion ${sawReply ? 'shown' : 'hidden'}`);
        }
        const dropped = await api(caller, `/api/documents/${docId}/comments/${droppedId}`);
        if (dropped.status !== (refused ?? 404)) wrong.push(`${caller.label} GET the dropped comment: ${dropped.status}`);
        const list = await api(caller, `/api/documents/${docId}/comments`);
        if (list.status !== (refused ?? 200)) wrong.push(`${caller.label} GET the list: ${list.status}`);
        if (list.status !== 200) continue;
        const text = JSON.stringify(list.body);
        if (text.includes(droppedMarker) !== mine) wrong.push(`${caller.label}: the dropped comment ${mine ? 'missing' : 'shown'} in the list`);
        const released = list.body.released.comments as { id: string; disposition: { decision: string } | null }[];
        if (!released.some((c) => c.id === commentId)) wrong.push(`${caller.label}: BY-001 not listed`);
        if (released.find((c) => c.id === ruCommentId)?.disposition?.decision !== 'noted') wrong.push(`${caller.label}: the disposition not shown`);
      }
      assert.deepEqual(wrong, []);
    });
  });
});
