import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  ClauseOperationError, danglingReferences, fromTree, indent, insertAfter, moveDown, moveUp, newClauseKey, outdent,
  removeClause, subtreeEnd, toTree, updateClause, validateClauses, type Clause,
} from '../../../server/text/clauses.js';
import { clausesArb } from './arbitraries.js';

const section = (key: string, depth: number, heading = key): Clause => ({ key, depth, kind: 'section', heading });
const text = (key: string, depth: number, body = key): Clause => ({ key, depth, kind: 'text', body });
const note = (key: string, depth: number): Clause => ({ key, depth, kind: 'note', body: 'примечание' });

// 1 s1 / 1.1 a / 1.1.1 a1 / 1.2 b / 1.3 c / 2 s2
const doc: Clause[] = [section('s1', 0), text('a', 1), text('a1', 2), text('b', 1), text('c', 1), section('s2', 0)];
const keys = (cs: readonly Clause[]) => cs.map((c) => `${c.key}@${c.depth}`).join(' ');
const refuses = (fn: () => unknown, code: string) =>
  assert.throws(fn, (e: unknown) => e instanceof ClauseOperationError && e.code === code);

/** The ways each move may refuse a clause that is there; anything else (a wrong key, a crash) is a bug. */
const moveRefusals = new Map<(cs: readonly Clause[], key: string) => Clause[], readonly string[]>([
  [moveUp, ['noPreviousSibling', 'invalidResult']],
  [moveDown, ['noNextSibling', 'invalidResult']],
  [indent, ['noPreviousSibling', 'parentIsLeaf', 'invalidResult']],
  [outdent, ['alreadyTopLevel', 'invalidResult']],
]);
const refusesMove = (op: (cs: readonly Clause[], key: string) => Clause[], e: unknown): boolean =>
  e instanceof ClauseOperationError && (moveRefusals.get(op) ?? []).includes(e.code);

describe('clauses: validation', () => {
  it('accepts a well-formed revision and an empty one', () => {
    assert.deepEqual(validateClauses(doc), []);
    assert.deepEqual(validateClauses([]), []);
  });

  const cases: Array<[string, Clause[], string]> = [
    ['a first clause below the top', [text('a', 1)], 'invalidDepth'],
    ['a depth jump of two', [section('s', 0), text('a', 2)], 'invalidDepth'],
    ['a child under a note', [section('s', 0), note('n', 1), text('a', 2)], 'parentIsLeaf'],
    ['a duplicate key', [section('s', 0), section('s', 0)], 'duplicateKey'],
    ['a key with spaces', [section('a b', 0)], 'invalidKey'],
    ['a section without heading', [{ key: 's', depth: 0, kind: 'section', heading: '  ' }], 'missingField'],
    ['a requirement without a value', [{ key: 'r', depth: 0, kind: 'requirement', requirement: { parameter: 'Масса' } }], 'missingField'],
    ['a requirement with min > max', [{ key: 'r', depth: 0, kind: 'requirement', requirement: { parameter: 'Масса', min: 5, max: 1 } }], 'invalidRange'],
    ['a tolerance without nominal', [{ key: 'r', depth: 0, kind: 'requirement', requirement: { parameter: 'Длина', max: 5, tolerance: 1 } }], 'missingField'],
    ['a table row of the wrong width', [{ key: 't', depth: 0, kind: 'table', table: { header: ['a', 'b'], rows: [['1']] } }], 'invalidTable'],
    ['a term without definition', [{ key: 't', depth: 0, kind: 'term', term: { ru: 'станок', definition: '' } }], 'missingField'],
    ['a reference without title', [{ key: 'r', depth: 0, kind: 'reference', reference: { designation: 'ГОСТ 8', title: '' } }], 'missingField'],
    ['a table payload on a note', [{ ...note('n', 0), table: { header: ['a'], rows: [] } }], 'fieldNotAllowed'],
    ['an annex below the top', [section('s', 0), { ...section('x', 1), annex: 'normative' }], 'annexNotTopLevel'],
    ['a numbered section after an annex', [{ ...section('x', 0), annex: 'normative' }, section('s', 0)], 'annexOrder'],
    ['a 26th annex', Array.from({ length: 26 }, (_, i) => ({ ...section(`x${i}`, 0), annex: 'informative' as const })), 'tooManyAnnexes'],
  ];
  for (const [what, clauses, code] of cases) {
    it(`reports ${what} as ${code}`, () => {
      assert.ok(validateClauses(clauses).some((i) => i.code === code), JSON.stringify(validateClauses(clauses)));
    });
  }

  it('treats false and empty strings from forms as absent fields', () => {
    assert.deepEqual(validateClauses([{ ...note('n', 0), heading: '', unnumbered: false }]), []);
  });

  it('lets the bibliography follow the annexes', () => {
    assert.deepEqual(validateClauses([{ ...section('x', 0), annex: 'normative' }, { ...section('bib', 0), unnumbered: true }]), []);
  });

  it('lists cross-references and test-method links to missing clauses', () => {
    const clauses: Clause[] = [
      section('s', 0),
      text('a', 1, 'см. [[ref:s]] и [[ref:gone]]'),
      { key: 'r', depth: 1, kind: 'requirement', requirement: { parameter: 'Мощность', min: 1, methodKey: 'nowhere' } },
    ];
    assert.deepEqual(danglingReferences(clauses), [
      { fromKey: 'a', toKey: 'gone', field: 'body' },
      { fromKey: 'r', toKey: 'nowhere', field: 'methodKey' },
    ]);
  });
});

describe('clauses: operations', () => {
  it('makes short url-safe keys that do not repeat, none starting with a formula sign', () => {
    // 1 in 64 random keys would start with '-': among 5 000 about 78 would, so the test fails without the rule.
    const many = new Set(Array.from({ length: 5000 }, newClauseKey));
    assert.equal(many.size, 5000);
    for (const k of many) assert.match(k, /^[A-Za-z0-9_][A-Za-z0-9_-]{11}$/);
  });

  it('inserts at the start, as a first child, and as a sibling after the whole subtree', () => {
    assert.equal(keys(insertAfter(doc, null, section('z', 0))).split(' ')[0], 'z@0');
    assert.equal(keys(insertAfter(doc, 'a', text('z', 2))), 's1@0 a@1 z@2 a1@2 b@1 c@1 s2@0');
    assert.equal(keys(insertAfter(doc, 'a', text('z', 1))), 's1@0 a@1 a1@2 z@1 b@1 c@1 s2@0');
    assert.equal(keys(insertAfter(doc, 'a1', section('z', 0))), 's1@0 a@1 a1@2 b@1 c@1 z@0 s2@0');
  });

  it('refuses inserts that break the tree', () => {
    refuses(() => insertAfter(doc, 'a', text('s2', 1)), 'duplicateKey');
    refuses(() => insertAfter(doc, 'a', text('z', 3)), 'invalidDepth');
    refuses(() => insertAfter(doc, null, text('z', 1)), 'invalidDepth');
    refuses(() => insertAfter(doc, 'missing', text('z', 1)), 'notFound');
    refuses(() => insertAfter([section('s', 0), note('n', 1)], 'n', text('z', 2)), 'parentIsLeaf');
    refuses(() => insertAfter(doc, 'a', { key: 'z', depth: 1, kind: 'text' }), 'invalidResult');
  });

  it('updates content, removes fields set to undefined, and never changes key or depth', () => {
    const next = updateClause(doc, 's1', { heading: 'Область применения', body: 'текст' });
    assert.equal(next[0]!.heading, 'Область применения');
    assert.equal(updateClause(next, 's1', { body: undefined })[0]!.body, undefined);
    const sneaky = { heading: 'x', key: 'other', depth: 3 } as unknown as Parameters<typeof updateClause>[2];
    assert.deepEqual([updateClause(doc, 's1', sneaky)[0]!.key, updateClause(doc, 's1', sneaky)[0]!.depth], ['s1', 0]);
    refuses(() => updateClause(doc, 's1', { heading: '' }), 'invalidResult');
    refuses(() => updateClause(doc, 'a', { kind: 'note' }), 'invalidResult'); // a note cannot keep a child
  });

  it('moves a whole subtree past its sibling subtree', () => {
    assert.equal(keys(moveDown(doc, 'a')), 's1@0 b@1 a@1 a1@2 c@1 s2@0');
    assert.equal(keys(moveUp(doc, 'b')), 's1@0 b@1 a@1 a1@2 c@1 s2@0');
    assert.equal(keys(moveUp(doc, 's2')), 's2@0 s1@0 a@1 a1@2 b@1 c@1');
    refuses(() => moveUp(doc, 'a'), 'noPreviousSibling');
    refuses(() => moveDown(doc, 'c'), 'noNextSibling');
    refuses(() => moveDown(doc, 'a1'), 'noNextSibling');
  });

  it('refuses to move a numbered section behind an annex', () => {
    const withAnnex = [section('s', 0), { ...section('x', 0), annex: 'normative' as const }];
    refuses(() => moveDown(withAnnex, 's'), 'invalidResult');
  });

  it('indents under the previous sibling and outdents after the parent subtree', () => {
    assert.equal(keys(indent(doc, 'b')), 's1@0 a@1 a1@2 b@2 c@1 s2@0');
    assert.equal(keys(indent(doc, 's2')), 's1@0 a@1 a1@2 b@1 c@1 s2@1');
    assert.equal(keys(outdent(doc, 'a')), 's1@0 b@1 c@1 a@0 a1@1 s2@0');
    refuses(() => indent(doc, 'a'), 'noPreviousSibling');
    refuses(() => indent([section('s', 0), note('n', 1), text('t', 1)], 't'), 'parentIsLeaf');
    refuses(() => outdent(doc, 's1'), 'alreadyTopLevel');
  });

  it('removes the subtree', () => {
    assert.equal(keys(removeClause(doc, 'a')), 's1@0 b@1 c@1 s2@0');
    assert.equal(keys(removeClause(doc, 's1')), 's2@0');
    refuses(() => removeClause(doc, 'zz'), 'notFound');
  });

  it('builds the tree and flattens it back', () => {
    const tree = toTree(doc);
    assert.deepEqual(tree.map((n) => n.clause.key), ['s1', 's2']);
    assert.deepEqual(tree[0]!.children.map((n) => n.clause.key), ['a', 'b', 'c']);
    assert.deepEqual(fromTree(tree), doc);
  });
});

describe('clauses: properties', () => {
  const ops = [moveUp, moveDown, indent, outdent, removeClause];

  it('every operation on a valid revision returns a valid revision or refuses, and never mutates', () => {
    fc.assert(fc.property(clausesArb(), fc.nat(), fc.nat(ops.length - 1), (clauses, at, which) => {
      fc.pre(clauses.length > 0);
      assert.deepEqual(validateClauses(clauses), []);
      const before = structuredClone(clauses);
      const key = clauses[at % clauses.length]!.key;
      try {
        assert.deepEqual(validateClauses(ops[which]!(clauses, key)), []);
      } catch (e) {
        assert.ok(e instanceof ClauseOperationError, String(e));
      }
      assert.deepEqual(clauses, before);
    }));
  });

  it('moving up then down, and indenting then outdenting, gives back the revision', () => {
    fc.assert(fc.property(clausesArb(), fc.nat(), (clauses, at) => {
      fc.pre(clauses.length > 0);
      const key = clauses[at % clauses.length]!.key;
      for (const [there, back] of [[moveUp, moveDown], [moveDown, moveUp], [indent, outdent]] as const) {
        let moved: Clause[];
        try { moved = there(clauses, key); } catch (e) {
          // Only a refusal of the move itself is skipped; any other error fails the property.
          if (refusesMove(there, e)) continue;
          throw e;
        }
        assert.deepEqual(back(moved, key), clauses);
      }
    }));
  });

  it('moves keep every clause and removal drops exactly the subtree', () => {
    fc.assert(fc.property(clausesArb(), fc.nat(), (clauses, at) => {
      fc.pre(clauses.length > 0);
      const i = at % clauses.length;
      const sorted = (cs: Clause[]) => cs.map((c) => c.key).sort();
      for (const op of [moveUp, moveDown, indent, outdent]) {
        try { assert.deepEqual(sorted(op(clauses, clauses[i]!.key)), sorted(clauses)); } catch (e) {
          if (!refusesMove(op, e)) throw e;
        }
      }
      const gone = clauses.slice(i, subtreeEnd(clauses, i)).map((c) => c.key);
      const left = removeClause(clauses, clauses[i]!.key).map((c) => c.key);
      assert.deepEqual(left, clauses.map((c) => c.key).filter((k) => !gone.includes(k)));
    }));
  });

  it('toTree and fromTree are inverse', () => {
    fc.assert(fc.property(clausesArb(), (clauses) => assert.deepEqual(fromTree(toTree(clauses)), clauses)));
  });
});
