// fast-check generators shared by the documents unit tests: valid revisions and edits of them.
import fc from 'fast-check';
import {
  CLAUSE_KINDS, ClauseOperationError, indent, insertAfter, isContainer, MAX_ANNEXES, moveDown, moveUp, outdent,
  removeClause, updateClause, type Clause, type ClauseKind,
} from '../../../server/text/clauses.js';

const WORDS = [
  'изделие', 'изделия', 'должно', 'должны', 'быть', 'не', 'более', 'менее', 'мм', 'кВт', 'температура',
  'стандарт', 'требования', 'по', 'ГОСТ', '15150', 'и', 'в', 'на', 'ёмкость', 'лазерный', 'станок', '10,5', '±', '—', ',', '.',
];

/** Russian-looking text: words and punctuation separated by spaces. */
export const ruText = fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 12 }).map((w) => w.join(' '));

type Seed = { kind: ClauseKind; up: number; top: 'plain' | 'annex' | 'unnumbered'; a: string; b: string; n: number };

const seed: fc.Arbitrary<Seed> = fc.record({
  kind: fc.constantFrom(...CLAUSE_KINDS),
  up: fc.nat(4),
  top: fc.constantFrom('plain', 'plain', 'plain', 'annex', 'unnumbered'),
  a: ruText,
  b: ruText,
  n: fc.integer({ min: -50, max: 50 }),
});

function content(kind: ClauseKind, s: Seed): Omit<Clause, 'key' | 'depth' | 'kind'> {
  switch (kind) {
    case 'section': return { heading: s.a, body: s.b };
    case 'text': case 'note': case 'example': case 'bibliography': return { body: s.a };
    case 'requirement': return { requirement: { parameter: s.a, nominal: s.n, tolerance: Math.abs(s.n) / 10, unit: 'мм' } };
    case 'table': return { table: { caption: s.a, header: s.b.split(' ').slice(0, 3), rows: [s.b.split(' ').slice(0, 3)] } };
    case 'term': return { term: { ru: s.a, definition: s.b } };
    case 'reference': return { reference: { designation: `ГОСТ ${Math.abs(s.n)}`, title: s.a } };
  }
}

/** Builds a valid revision from arbitrary seeds: depths obey the tree rule, annexes come last. */
export function buildClauses(seeds: readonly Seed[], prefix = 'k'): Clause[] {
  const out: Clause[] = [];
  let annexes = 0;
  seeds.forEach((s, i) => {
    const prev = out[i - 1];
    const deepest = !prev ? 0 : isContainer(prev.kind) ? prev.depth + 1 : prev.depth;
    const depth = deepest - (s.up % (deepest + 1));
    const clause: Clause = { key: `${prefix}${i}`, depth, kind: s.kind, ...content(s.kind, s) };
    if (depth === 0 && s.kind === 'section') {
      const top = annexes >= MAX_ANNEXES ? 'unnumbered' : annexes > 0 && s.top === 'plain' ? 'annex' : s.top;
      if (top === 'annex') { clause.annex = s.n % 2 ? 'normative' : 'informative'; annexes++; }
      if (top === 'unnumbered') clause.unnumbered = true;
    }
    out.push(clause);
  });
  return out;
}

export const clausesArb = (maxLength = 30): fc.Arbitrary<Clause[]> =>
  fc.array(seed, { maxLength }).map((seeds) => buildClauses(seeds));

type Edit =
  | { op: 'move'; up: boolean; at: number }
  | { op: 'indent' | 'outdent' | 'remove' | 'update'; at: number; text: string }
  | { op: 'insert'; at: number; deeper: boolean; text: string };

const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ op: fc.constant('move' as const), up: fc.boolean(), at: fc.nat() }),
  fc.record({ op: fc.constantFrom('indent' as const, 'outdent' as const, 'remove' as const, 'update' as const), at: fc.nat(), text: ruText }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), deeper: fc.boolean(), text: ruText }),
);

/** Applies edits through the real operations; refused edits are skipped, as the editor page would. */
export function applyEdits(start: Clause[], edits: readonly Edit[]): Clause[] {
  let clauses = start;
  edits.forEach((e, n) => {
    const target = clauses[e.at % Math.max(clauses.length, 1)];
    try {
      if (e.op === 'insert') {
        const depth = target ? target.depth + (e.deeper ? 1 : 0) : 0;
        clauses = insertAfter(clauses, target?.key ?? null, { key: `new${n}`, depth, kind: 'text', body: e.text });
      } else if (!target) {
        return;
      } else if (e.op === 'move') clauses = (e.up ? moveUp : moveDown)(clauses, target.key);
      else if (e.op === 'indent') clauses = indent(clauses, target.key);
      else if (e.op === 'outdent') clauses = outdent(clauses, target.key);
      else if (e.op === 'remove') clauses = removeClause(clauses, target.key);
      else if (target.kind === 'section') clauses = updateClause(clauses, target.key, { heading: e.text });
      else if (target.body !== undefined) clauses = updateClause(clauses, target.key, { body: e.text });
    } catch (err) {
      if (!(err instanceof ClauseOperationError)) throw err;
    }
  });
  return clauses;
}

/** A revision and a later revision made from it by editing. */
export const revisionPairArb: fc.Arbitrary<[Clause[], Clause[]]> = fc
  .tuple(clausesArb(25), fc.array(editArb, { maxLength: 12 }))
  .map(([a, edits]) => [a, applyEdits(a, edits)]);
