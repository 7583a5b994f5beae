import assert from 'node:assert/strict';
import { parse } from 'content-disposition';
import type { Express } from 'express';
import request from 'supertest';
import { asciiFileName, contentDisposition } from '../../server/http/attachment.js';
import { signIn, tokenFor, type Agent } from '../helpers/agent.js';
import { testApp } from '../helpers/app.js';
import { makeDocument, makeUser, type MadeUser } from '../helpers/factories.js';
import { binary, makePublishedDocument } from '../helpers/publishing.js';

/** The two names of a download: the plain one every client reads, and the real one (filename*), if any. */
function namesOf(res: request.Response): { plain: string; real?: string; raw: string } {
  const raw = String(res.headers['content-disposition']);
  assert.match(raw, /^attachment; /);
  // `parse` decodes filename* into `filename`; read the plain parameter without it.
  const plain = parse(raw.replace(/; filename\*=[^;]*/, '')).parameters.filename!;
  const real = /filename\*=/.test(raw) ? parse(raw).parameters.filename : undefined;
  assert.match(plain, /^[\x20-\x7e]+$/, `plain name «${plain}» is not printable ASCII`);
  assert.doesNotMatch(plain, /\?/, `plain name «${plain}» has question marks`);
  return { plain, real, raw };
}

describe('download file names', function () {
  this.timeout(60_000);
  let app: Express;
  let user: MadeUser;
  let secretariat: { agent: Agent; csrf: string };
  let bearer: string;

  before(async () => {
    app = testApp();
    user = await makeUser('secretariat');
    secretariat = await signIn(app, user);
    bearer = await tokenFor(user);
  });

  it('names a draft and its redline in transliteration, with the Cyrillic name in filename*', async () => {
    const { id } = await makeDocument({ by: user, title: 'Станки лазерные для резки металла. Технические условия' });
    const draft = namesOf(await secretariat.agent.get(`/documents/${id}/revisions/1/pdf`).buffer(true).parse(binary).expect(200));
    assert.equal(draft.plain, 'Stanki lazernye dlya rezki metalla, redakciya 1.pdf');
    assert.equal(draft.real, 'Станки лазерные для резки металла, редакция 1.pdf');

    const auth = (r: request.Test) => r.set('Authorization', `Bearer ${bearer}`);
    await auth(request(app).post(`/api/documents/${id}/transitions/circulate`)).send({}).expect(200);
    await auth(request(app).post(`/api/documents/${id}/transitions/closeComments`)).send({}).expect(200);
    await auth(request(app).post(`/api/documents/${id}/transitions/newRound`)).send({}).expect(200);
    await auth(request(app).post(`/api/documents/${id}/revisions`)).send({}).expect(201);
    const redline = namesOf(await secretariat.agent.get(`/documents/${id}/compare/pdf?from=1&to=2`).buffer(true).parse(binary).expect(200));
    assert.equal(redline.plain, 'Stanki lazernye dlya rezki metalla, 1-2 (sravnenie).pdf');
    assert.equal(redline.real, 'Станки лазерные для резки металла, 1-2 (сравнение).pdf');

    // The summary of comments in its three forms: plain names, the same helper.
    for (const ext of ['csv', 'xlsx', 'pdf']) {
      const res = await secretariat.agent.get(`/documents/${id}/comments/export.${ext}?round=1`).buffer(true).parse(binary).expect(200);
      const names = namesOf(res);
      assert.equal(names.plain, `comments-${id}-round-1.${ext}`);
      assert.equal(names.real, undefined, 'an ASCII name needs no filename*');
      assert.equal(names.raw, contentDisposition(`comments-${id}-round-1.${ext}`));
    }
  });

  it('names the published PDF after its designation', async () => {
    const { doc } = await makePublishedDocument({ by: user });
    const res = await request(app).get(`/catalogue/${doc._id}/pdf`).buffer(true).parse(binary).expect(200);
    const names = namesOf(res);
    assert.equal(names.real, `${doc.designation}.pdf`);
    assert.equal(names.plain, `${doc.designation!.replace('СТ СГ', 'ST SG')}.pdf`);
    const csv = namesOf(await request(app).get(`/catalogue/${doc._id}/requirements.csv`).expect(200));
    assert.equal(csv.plain, `${doc.designation!.replace('СТ СГ', 'ST SG')} requirements.csv`);
  });

  it('writes one header for any name: quotes, path characters, Belarusian letters, other scripts', () => {
    assert.equal(contentDisposition('a"b\\c.pdf'), `attachment; filename="a_b c.pdf"; filename*=UTF-8''a%22b%20c.pdf`);
    assert.equal(contentDisposition('plain.csv'), 'attachment; filename=plain.csv', 'a token needs no quotes');
    assert.equal(asciiFileName('Ўсходняя зона — Іванава.pdf'), 'Usxodnyaya zona - Ivanava.pdf');
    assert.equal(asciiFileName('β-излучение 中.pdf'), '_-izluchenie _.pdf');
    const { plain, real } = namesOf({ headers: { 'content-disposition': contentDisposition('../Щётка\u0000ёж.pdf') } } as unknown as request.Response);
    assert.equal(plain, '.. Shhyotka yozh.pdf');
    assert.equal(real, '.. Щётка ёж.pdf');
  });
});
