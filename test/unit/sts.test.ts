// The NISO STS export of a standard's text (server/catalogue/sts.ts, docs/sts.md): valid against the
// subset schema written from the tag library, every clause in its element, text escaped, front matter
// complete.
import assert from 'node:assert/strict';
import * as cheerio from 'cheerio';
import type { CatalogueEntry } from '../../server/catalogue/catalogue.js';
import { stsXml } from '../../server/catalogue/sts.js';
import type { Clause } from '../../server/text/clauses.js';
import { stsSchema, xmllint } from '../helpers/xmllint.js';
import { sampleClauses } from './pdf/sample.js';

const entry = {
  id: '0123456789abcdef01234567', designation: 'СТ СГ 12-2027', kind: 'standard', productGroup: 'electronics', ics: '31.200', status: 'inForce', revision: 2,
  titles: { ru: 'Микросхемы интегральные. Общие технические требования', en: 'Integrated circuits. General technical requirements' },
  publishedAt: new Date('2027-05-14T09:00:00Z'),
  entryIntoForce: [{ country: 'BY', date: '2027-08-01' }, { country: 'RU', date: '2027-09-01' }],
} as unknown as CatalogueEntry;
const links = { pdf: 'https://accord.example/catalogue/x/pdf', verify: 'https://accord.example/verify/x' };

const xmlOf = (clauses: readonly Clause[]) => stsXml({ entry, clauses, links });

describe('NISO STS export', () => {
  const clauses = sampleClauses(0);
  const xml = xmlOf(clauses);
  const $ = cheerio.load(xml, { xml: true });

  it('is valid against the STS subset schema (xmllint)', () => {
    const { ok, output } = xmllint(xml, stsSchema);
    assert.ok(ok, output);
  });

  it('has the front matter: designation, titles in both languages, dates per country, ICS', () => {
    assert.equal($('std-meta > std-ref[type=dated]').text(), 'СТ СГ 12-2027');
    assert.deepEqual([$('std-ident > originator').text(), $('std-ident > doc-number').text(), $('std-ident > version').text()], ['СТ СГ', '12', '2027']);
    assert.equal($('title-wrap[xml\\:lang=ru] > full').text(), entry.titles.ru);
    assert.equal($('title-wrap[xml\\:lang=en] > main').text(), 'General technical requirements');
    assert.equal($('std-meta > pub-date').text(), '2027-05-14');
    assert.deepEqual($('meta-date[type=entry-into-force]').map((_, e) => `${$(e).attr('specific-use')} ${$(e).text()}`).get(), ['BY 2027-08-01', 'RU 2027-09-01']);
    assert.equal($('std-meta > ics').text(), '31.200');
  });

  it('puts every clause in an element of its kind, with its id', () => {
    const expected: Record<Clause['kind'], string[]> = { section: ['sec', 'app'], text: ['sec'], requirement: ['sec'], note: ['non-normative-note'], example: ['non-normative-example'], table: ['table-wrap'], term: ['term-sec'], reference: ['ref'], bibliography: ['ref'] };
    for (const c of clauses) {
      const el = $(`[id="c-${c.key}"]`);
      assert.equal(el.length, 1, `clause ${c.key} (${c.kind})`);
      assert.ok(expected[c.kind].includes(el.prop('tagName')!.toLowerCase()), `clause ${c.key} (${c.kind}) is <${el.prop('tagName')}>`);
    }
    assert.ok($('body > sec').length >= 3);
    assert.ok($('back > app-group > app[content-type]').length >= 1, 'annexes are in the back matter');
    assert.ok($('back > ref-list[content-type=bibl] > ref').length >= 1, 'the bibliography is the back matter\'s ref-list');
    assert.ok($('sec ref-list[content-type=norm-refs] std > std-ref').length >= 1, 'normative references stay in their section');
    assert.ok($('table-wrap thead th[scope=col]').length >= 1);
    assert.ok($('list > list-item > p').length >= 1);
  });

  it('escapes text and keeps cross-references as xref to an existing id', () => {
    const tricky: Clause[] = [
      { key: 'a', depth: 0, kind: 'section', heading: 'A <b> & "c"', body: 'See [[ref:b]] and x < y & z; ^{2} _{i}' },
      { key: 'b', depth: 1, kind: 'text', body: '</p><script>alert(1)</script>' },
    ];
    const out = xmlOf(tricky);
    assert.ok(xmllint(out, stsSchema).ok, xmllint(out, stsSchema).output);
    const doc = cheerio.load(out, { xml: true });
    assert.equal(doc('#c-a > title').text(), 'A <b> & "c"');
    assert.equal(doc('#c-b > p').text(), '</p><script>alert(1)</script>');
    assert.equal(doc('#c-a > p > xref').attr('rid'), 'c-b');
    assert.equal(doc('#c-a > p > xref').text(), '1.1');
    assert.equal(doc('#c-a > p > sup').text(), '2');
  });
});
