// No message key reaches a person: every key the server names has a sentence in both languages, and the
// clause editor's refusals are sentences (issue: "Forms that speak the user's language").
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Express } from 'express';
import * as cheerio from 'cheerio';
import { catalogueKeys, hasKey } from '../../server/i18n/index.js';
import { clauseErrorCodes, clauseIssueCodes } from '../../server/text/clause-model.js';
import { getDocument, getRevision } from '../../server/documents/index.js';
import { signIn } from '../helpers/agent.js';
import { testApp } from '../helpers/app.js';
import { makeDocument, makeUser } from '../helpers/factories.js';
import { actorOf } from '../helpers/factories.js';
import { repoRoot } from '../helpers/server.js';

async function serverFiles(): Promise<string[]> {
  const dir = path.join(repoRoot, 'server');
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => path.join(e.parentPath, e.name));
}

describe('messages', () => {
  it('has a sentence in both languages for every message key the server names', async () => {
    const namespaces = new Set(catalogueKeys('ru').map((k) => k.split('.')[0]!));
    const missing: string[] = [];
    for (const file of await serverFiles()) {
      const text = await readFile(file, 'utf8');
      for (const m of text.matchAll(/'([a-z][A-Za-z]*\.[A-Za-z][\w]*(?:\.[A-Za-z][\w]*)*)'/g)) {
        const key = m[1]!;
        if (!namespaces.has(key.split('.')[0]!) || /\.(ts|js|json|hbs|pdf|csv|xlsx|atom)$/.test(key)) continue;
        // A quoted path followed by a colon is a field in a query or projection ('clauses.key': 1), not a message.
        if (/^\s*:/.test(text.slice(m.index! + m[0].length))) continue;
        if (!hasKey(key)) missing.push(`${path.relative(repoRoot, file)}: ${key}`);
      }
    }
    assert.deepEqual(missing, []);
  });

  it('has a sentence for every refusal of a clause edit, and a phrase for every clause issue', () => {
    const keys = [...clauseErrorCodes.map((c) => `clauses.error.${c}`), ...clauseIssueCodes.map((c) => `clauses.error.${c}`), ...clauseIssueCodes.map((c) => `clauses.issue.${c}`), 'clauses.error.invalidTableRow'];
    assert.deepEqual(keys.filter((k) => !hasKey(k)), []);
  });

  describe('the clause editor', () => {
    let app: Express;
    before(() => {
      app = testApp();
    });

    const refusals: [string, Record<string, string>, RegExp][] = [
      ['a requirement without a parameter', { kind: 'requirement', body: 'Текст.', value: '5 В' }, /Не заполнено обязательное поле пункта/],
      ['a requirement whose minimum is above its maximum', { kind: 'requirement', parameter: 'Напряжение', min: '10', max: '5', unit: 'В' }, /Нижний предел больше верхнего/],
      ['a table row with too few cells', { kind: 'table', caption: 'Параметры', header: 'Параметр | Значение | Единица', rows: 'Напряжение | 5 | В\nТок | 1' }, /В строке 2 таблицы ячеек: 2, а столбцов в заголовке: 3/],
      ['a number that is not one', { kind: 'requirement', parameter: 'Напряжение', min: 'пять' }, /Введите число, например 0,5/],
    ];
    for (const [what, form, sentence] of refusals) {
      it(`refuses ${what} with a sentence, never a message key`, async () => {
        const secretary = await makeUser('secretariat');
        const { id } = await makeDocument({ by: secretary });
        const doc = await getDocument(actorOf(secretary), id);
        const rev = await getRevision(doc, doc.currentRevision);
        const target = rev.clauses.find((c) => c.kind === 'text')!;
        const { agent, csrf } = await signIn(app, secretary);
        const res = await agent.post(`/documents/${id}/clauses/${target.key}`).type('form').send({ _csrf: csrf, version: String(rev.version), ...form });
        assert.ok(res.status >= 400 && res.status < 500, `answered ${res.status}`);
        const text = cheerio.load(res.text)('main').text();
        assert.match(text, sentence);
        assert.doesNotMatch(text, /\b(clauses|validation|documents)\.(error|issue)?\.?[a-z]\w*\b/i, 'a message key reached the page');
      });
    }
  });
});
