import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { danglingReferences, removeClause, validateClauses } from '../../../server/text/clauses.js';
import { numberClauses } from '../../../server/text/numbering.js';
import {
  clausesFromTemplate, loadTemplates, missingMandatoryClauses, parseTemplate, TemplateError, type Template,
} from '../../../server/documents/templates.js';

const TEMPLATES_DIR = fileURLToPath(new URL('../../../templates/', import.meta.url));

const minimal = () => ({
  id: 'sample', version: 1,
  names: { ru: 'Образец', en: 'Sample' }, titleSuffix: { ru: 'Образец', en: 'Sample' },
  description: { ru: 'Описание', en: 'Description' }, examples: [],
  clauses: [
    { key: 'scope', depth: 0, kind: 'section', heading: 'Область применения', mandatory: true, en: { heading: 'Scope' } },
    { key: 'scope-text', depth: 1, kind: 'text', body: 'Настоящий стандарт распространяется на …', mandatory: true },
  ] as Record<string, unknown>[],
});

const problems = (data: unknown) => {
  try { parseTemplate(data, 'x.json'); } catch (e) {
    assert.ok(e instanceof TemplateError);
    return e.problems.join('\n');
  }
  return '';
};

describe('templates: the shipped files', () => {
  let templates: Template[] = [];
  before(async () => { templates = await loadTemplates(TEMPLATES_DIR); });

  it('has the three kinds of document, with unique ids', () => {
    assert.deepEqual(templates.map((t) => t.id).sort(), ['general-technical-requirements', 'specifications', 'test-methods']);
  });

  it('gives clauses that validate and number, in Russian and in English', () => {
    for (const t of templates) {
      for (const lang of ['ru', 'en'] as const) {
        const clauses = clausesFromTemplate(t, lang);
        assert.deepEqual(validateClauses(clauses), [], `${t.id} ${lang}`);
        assert.deepEqual(danglingReferences(clauses), [], `${t.id} ${lang}`);
        assert.ok(numberClauses(clauses).size > 10);
      }
    }
  });

  it('translates every heading, body, caption, column and reference title', () => {
    for (const t of templates) {
      for (const c of t.clauses) {
        const where = `${t.id}/${c.key}`;
        if (c.heading) assert.ok(c.en?.heading, `${where} heading`);
        if (c.body) assert.ok(c.en?.body, `${where} body`);
        if (c.table?.caption) assert.ok(c.en?.caption, `${where} caption`);
        if (c.table) assert.equal(c.en?.header?.length, c.table.header.length, `${where} header`);
        if (c.reference) assert.ok(c.en?.title, `${where} title`);
      }
    }
  });

  it('follows the GOST 1.5 skeleton: scope first, mandatory safety, an annex and a bibliography last', () => {
    for (const t of templates) {
      const top = t.clauses.filter((c) => c.depth === 0);
      assert.equal(top[0]!.heading, 'Область применения', t.id);
      assert.equal(top[1]!.heading, 'Нормативные ссылки', t.id);
      assert.ok(top.some((c) => c.heading === 'Требования безопасности' && c.mandatory), t.id);
      assert.ok(top.some((c) => c.annex), t.id);
      assert.equal(top[top.length - 1]!.heading, 'Библиография', t.id);
      assert.ok(t.clauses.some((c) => c.body?.startsWith('Настоящий стандарт распространяется на')), t.id);
    }
  });

  it('drops the template-only fields from a new document', () => {
    const clauses = clausesFromTemplate(templates[0]!);
    assert.ok(clauses.every((c) => !('mandatory' in c) && !('guidance' in c) && !('en' in c)));
    assert.equal(clausesFromTemplate(templates[0]!, 'en')[0]!.heading, 'Scope');
  });

  it('names the mandatory clauses a revision has lost', () => {
    const t = templates.find((x) => x.id === 'specifications')!;
    const clauses = clausesFromTemplate(t);
    assert.deepEqual(missingMandatoryClauses(t, clauses), []);
    assert.deepEqual(missingMandatoryClauses(t, removeClause(clauses, 'warranty')), ['warranty']);
  });
});

describe('templates: parsing', () => {
  it('accepts a minimal template', () => assert.equal(problems(minimal()), ''));

  it('refuses unknown fields, so typos in a file are caught', () => {
    const t = minimal();
    t.clauses[0]!.mandtory = true;
    assert.match(problems(t), /mandtory/);
  });

  it('refuses clauses that break the tree rules', () => {
    const t = minimal();
    t.clauses[1]!.depth = 2;
    assert.match(problems(t), /depth 2 after depth 0/);
  });

  it('refuses a mandatory clause inside an optional one', () => {
    const t = minimal();
    delete t.clauses[0]!.mandatory;
    assert.match(problems(t), /mandatory inside optional scope/);
  });

  it('refuses a cross-reference to a key the template does not have', () => {
    const t = minimal();
    t.clauses[1]!.body = 'см. [[ref:nowhere]]';
    assert.match(problems(t), /unknown key nowhere/);
  });

  it('refuses a bad id', () => assert.match(problems({ ...minimal(), id: 'Bad Id' }), /id/));
});

describe('templates: loading a folder', () => {
  let dir = '';
  beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'accord-templates-')); });
  afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

  it('adds a kind by adding a file', async () => {
    await writeFile(join(dir, 'a.json'), JSON.stringify(minimal()));
    await writeFile(join(dir, 'b.json'), JSON.stringify({ ...minimal(), id: 'another' }));
    await writeFile(join(dir, 'README.md'), '# not a template');
    assert.deepEqual((await loadTemplates(dir)).map((t) => t.id), ['sample', 'another']);
  });

  it('names the file that is broken', async () => {
    await writeFile(join(dir, 'broken.json'), '{ "id": ');
    await assert.rejects(loadTemplates(dir), (e: unknown) => e instanceof TemplateError && e.source === 'broken.json');
  });

  it('refuses two files with one id', async () => {
    await writeFile(join(dir, 'a.json'), JSON.stringify(minimal()));
    await writeFile(join(dir, 'b.json'), await readFile(join(dir, 'a.json'), 'utf8'));
    await assert.rejects(loadTemplates(dir), /already used/);
  });
});
