import assert from 'node:assert/strict';
import fc from 'fast-check';
import { insertAfter, moveDown, outdent, updateClause, type Clause } from '../../../server/text/clauses.js';
import { compareRevisions, diffWords, tokenizeWords, type WordRun } from '../../../server/text/redline.js';
import { clausesArb, revisionPairArb, ruText } from './arbitraries.js';

const rebuild = (runs: WordRun[], side: 'before' | 'after') =>
  runs.filter((r) => r.kind === 'equal' || r.kind === (side === 'before' ? 'delete' : 'insert')).map((r) => r.text).join('');

const base: Clause[] = [
  { key: 's1', depth: 0, kind: 'section', heading: 'Технические требования' },
  { key: 'p', depth: 1, kind: 'requirement', requirement: { parameter: 'Мощность лазера', min: 1, max: 6, unit: 'кВт' } },
  { key: 't', depth: 1, kind: 'table', table: { header: ['Параметр', 'Норма'], rows: [['Ширина реза', '0,1 мм']] } },
  { key: 'b', depth: 1, kind: 'text', body: 'Станина должна быть окрашена эмалью.' },
  { key: 's2', depth: 0, kind: 'section', heading: 'Требования безопасности' },
  { key: 'x', depth: 1, kind: 'text', body: 'Защитный кожух обязателен.' },
];

describe('redline: words', () => {
  it('splits Russian text into words, spaces and punctuation that join back exactly', () => {
    assert.deepEqual(tokenizeWords('Станина, окрашенная эмалью.'), ['Станина', ',', ' ', 'окрашенная', ' ', 'эмалью', '.']);
  });

  it('replaces whole Russian words, not letters', () => {
    assert.deepEqual(diffWords('Станина должна быть окрашена эмалью.', 'Станина должна быть покрыта порошковой краской.'), [
      { kind: 'equal', text: 'Станина должна быть ' },
      { kind: 'delete', text: 'окрашена эмалью' },
      { kind: 'insert', text: 'покрыта порошковой краской' },
      { kind: 'equal', text: '.' },
    ]);
  });

  it('handles empty sides', () => {
    assert.deepEqual(diffWords('', 'новый текст'), [{ kind: 'insert', text: 'новый текст' }]);
    assert.deepEqual(diffWords('старый', ''), [{ kind: 'delete', text: 'старый' }]);
    assert.deepEqual(diffWords('', ''), []);
  });

  it('rebuilds both texts from the runs (property)', () => {
    const text = fc.oneof(ruText, fc.string({ unit: 'grapheme', maxLength: 60 }));
    fc.assert(fc.property(text, text, (a, b) => {
      const runs = diffWords(a, b);
      assert.equal(rebuild(runs, 'before'), a);
      assert.equal(rebuild(runs, 'after'), b);
      assert.ok(runs.every((r) => r.text.length > 0));
    }));
  });
});

describe('redline: clauses', () => {
  it('finds nothing changed between a revision and itself', () => {
    const result = compareRevisions(base, structuredClone(base));
    assert.ok(result.clauses.every((c) => c.status === 'unchanged'));
    assert.equal(result.counts.unchanged, base.length);
  });

  it('shows additions, removals and the renumbering they cause, with both numbers', () => {
    let b = insertAfter(base, 's1', { key: 'new', depth: 1, kind: 'text', body: 'Новый пункт.' });
    b = b.filter((c) => c.key !== 'x');
    const byKey = new Map(compareRevisions(base, b).clauses.map((c) => [c.key, c]));
    assert.equal(byKey.get('new')?.status, 'added');
    assert.equal(byKey.get('new')?.labelAfter?.number, '1.1');
    assert.equal(byKey.get('x')?.status, 'removed');
    assert.equal(byKey.get('x')?.labelBefore?.number, '2.1');
    assert.equal(byKey.get('p')?.status, 'renumbered');
    assert.deepEqual([byKey.get('p')?.labelBefore?.number, byKey.get('p')?.labelAfter?.number], ['1.1', '1.2']);
    assert.equal(byKey.get('s2')?.status, 'unchanged');
  });

  it('keeps removed clauses where they stood', () => {
    const b = base.filter((c) => c.key !== 't');
    assert.deepEqual(compareRevisions(base, b).clauses.map((c) => c.key), base.map((c) => c.key));
  });

  it('tells a move from a renumbering', () => {
    const b = moveDown(base, 'p'); // p and t swap places under s1
    const byKey = new Map(compareRevisions(base, b).clauses.map((c) => [c.key, c]));
    const moved = ['p', 't'].filter((k) => byKey.get(k)?.moved);
    assert.equal(moved.length, 1, 'one of the swapped pair is the move');
    assert.equal(byKey.get('b')?.status, 'unchanged');
    const outdented = compareRevisions(base, outdent(base, 'x')).clauses.find((c) => c.key === 'x');
    assert.equal(outdented?.status, 'moved', 'a change of parent is a move');
    assert.deepEqual([outdented?.labelBefore?.number, outdented?.labelAfter?.number], ['2.1', '3']);
  });

  it('diffs every changed text field word by word', () => {
    let b = updateClause(base, 'p', { requirement: { parameter: 'Мощность излучения лазера', min: 1, max: 8, unit: 'кВт' } });
    b = updateClause(b, 't', { table: { header: ['Параметр', 'Норма'], rows: [['Ширина реза', '0,15 мм'], ['Скорость', '30 м/мин']] } });
    const byKey = new Map(compareRevisions(base, b).clauses.map((c) => [c.key, c]));
    const p = byKey.get('p')!;
    assert.equal(p.status, 'changed');
    assert.deepEqual(p.fields.map((f) => f.field), ['requirement.parameter', 'requirement.max']);
    assert.deepEqual(p.fields[0]!.runs.filter((r) => r.kind !== 'equal'), [{ kind: 'insert', text: 'излучения ' }]);
    assert.deepEqual(p.fields[1], { field: 'requirement.max', before: '6', after: '8', runs: [{ kind: 'delete', text: '6' }, { kind: 'insert', text: '8' }] });
    assert.deepEqual(byKey.get('t')!.fields.map((f) => f.field), ['table.rows.0.1', 'table.rows.1.0', 'table.rows.1.1']);
  });

  it('lists every key of both revisions exactly once, with matching statuses (property)', () => {
    fc.assert(fc.property(revisionPairArb, ([a, b]) => {
      const result = compareRevisions(a, b);
      const keys = result.clauses.map((c) => c.key);
      const all = new Set([...a, ...b].map((c) => c.key));
      assert.equal(keys.length, all.size);
      assert.deepEqual(new Set(keys), all);
      const inA = new Set(a.map((c) => c.key));
      const inB = new Set(b.map((c) => c.key));
      for (const c of result.clauses) {
        assert.equal(c.status === 'added', !inA.has(c.key));
        assert.equal(c.status === 'removed', !inB.has(c.key));
      }
      assert.deepEqual(result.clauses.filter((c) => c.status !== 'removed').map((c) => c.key), b.map((c) => c.key));
    }), { numRuns: 200 });
  });

  it('finds only unchanged clauses when a revision is compared with itself (property)', () => {
    fc.assert(fc.property(clausesArb(40), (a) => {
      const result = compareRevisions(a, structuredClone(a));
      assert.equal(result.counts.unchanged, a.length);
    }));
  });

  it('rebuilds every changed field from its runs (property)', () => {
    fc.assert(fc.property(revisionPairArb, ([a, b]) => {
      for (const c of compareRevisions(a, b).clauses) {
        for (const f of c.fields) {
          assert.equal(rebuild(f.runs, 'before'), f.before);
          assert.equal(rebuild(f.runs, 'after'), f.after);
        }
      }
    }), { numRuns: 200 });
  });
});
