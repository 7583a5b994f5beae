import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import { catalogueKeys, hasKey, translate } from '../../server/i18n/index.js';
import { viewsDir } from '../../server/http/views.js';
import { signIn } from '../helpers/agent.js';
import { testApp } from '../helpers/app.js';
import { makeUser } from '../helpers/factories.js';

async function viewFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.hbs')).map((e) => path.join(e.parentPath, e.name));
}

describe('languages', () => {
  let app: Express;
  before(() => {
    app = testApp();
  });

  it('has every message in both Russian and English', () => {
    const ru = new Set(catalogueKeys('ru'));
    const en = new Set(catalogueKeys('en'));
    assert.deepEqual([...ru].filter((k) => !en.has(k)), []);
    assert.deepEqual([...en].filter((k) => !ru.has(k)), []);
  });

  it('has a message for every literal key the views ask for', async () => {
    const missing: string[] = [];
    for (const file of await viewFiles(viewsDir)) {
      const text = await readFile(file, 'utf8');
      for (const m of text.matchAll(/(?:\{\{|\()t "([\w.]+)"/g)) if (!hasKey(m[1])) missing.push(`${path.relative(viewsDir, file)}: ${m[1]}`);
    }
    assert.deepEqual(missing, []);
  });

  it('uses the Russian plural forms', () => {
    const forms = [1, 2, 5, 11, 21, 22, 25, 101, 111].map((n) => translate('ru', 'delegations.members', { count: n }));
    assert.deepEqual(forms, ['1 участник', '2 участника', '5 участников', '11 участников', '21 участник', '22 участника', '25 участников', '101 участник', '111 участников']);
    assert.equal(translate('en', 'delegations.members', { count: 1 }), '1 person');
    assert.equal(translate('en', 'delegations.members', { count: 3 }), '3 people');
  });

  it('speaks Russian by default and English once chosen, and remembers the choice', async () => {
    const agent = request.agent(app);
    const ru = await agent.get('/sign-in').expect(200);
    assert.match(ru.text, /<html lang="ru">/);
    assert.match(ru.text, /Электронная почта/);
    const switched = await agent.get('/locale/en?next=/sign-in').expect(303);
    assert.equal(switched.headers.location, '/sign-in');
    const en = await agent.get('/sign-in').expect(200);
    assert.match(en.text, /<html lang="en">/);
    assert.match(en.text, /E-mail/);
    assert.match((await agent.get('/password/forgot')).text, /Reset password/);
    await agent.get('/locale/ru').expect(303);
    assert.match((await agent.get('/sign-in')).text, /Вход/);
  });

  it('answers API errors in the chosen language too', async () => {
    const res = await request(app).get('/api/me').set('Cookie', 'lang=en').expect(401);
    assert.match(res.body.error.message, /Sign-in required/);
  });

  it('refuses an unknown language with a clear message', async () => {
    const res = await request(app).get('/locale/de').expect(422);
    assert.match(res.text, /ru и en/);
  });

  it('shows a signed-in page in English with the person still signed in', async () => {
    const user = await makeUser('secretariat');
    const { agent } = await signIn(app, user);
    await agent.get('/locale/en').expect(303);
    const page = await agent.get('/account').expect(200);
    assert.match(page.text, /Change password/);
    assert.match(page.text, /Sign out/);
  });
});
