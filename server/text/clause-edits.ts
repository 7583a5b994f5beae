// The tree operations on a revision's clauses (insert, update, move, indent, outdent, remove) and the
// tree view of the flat array. Every operation returns a new array (untouched clauses are shared, never
// mutated) and refuses, with a ClauseOperationError, any result that would not pass validateClauses.
import { ClauseOperationError, isContainer, type Clause, type ClausePatch } from './clause-model.js';
import { validateClauses } from './clause-rules.js';

function indexOfKey(clauses: readonly Clause[], key: string): number {
  const i = clauses.findIndex((c) => c.key === key);
  if (i < 0) throw new ClauseOperationError('notFound', `no clause with key "${key}"`);
  return i;
}

/** End (exclusive) of the subtree that starts at index. */
export function subtreeEnd(clauses: readonly Clause[], index: number): number {
  const depth = clauses[index]!.depth;
  let end = index + 1;
  while (end < clauses.length && clauses[end]!.depth > depth) end++;
  return end;
}

/** Index of the parent of the clause at index, or -1 at top level. */
export function parentIndex(clauses: readonly Clause[], index: number): number {
  const depth = clauses[index]!.depth;
  for (let i = index - 1; i >= 0; i--) if (clauses[i]!.depth < depth) return i;
  return -1;
}

function previousSibling(clauses: readonly Clause[], index: number): number {
  const depth = clauses[index]!.depth;
  for (let i = index - 1; i >= 0; i--) {
    const d = clauses[i]!.depth;
    if (d === depth) return i;
    if (d < depth) return -1;
  }
  return -1;
}

function checked(result: Clause[], what: string): Clause[] {
  const issues = validateClauses(result);
  if (issues.length) {
    throw new ClauseOperationError('invalidResult', `${what}: ${issues.map((i) => i.message).join('; ')}`, issues);
  }
  return result;
}

const shift = (part: readonly Clause[], by: number) => part.map((c) => ({ ...c, depth: c.depth + by }));

/**
 * Inserts `clause` after the clause `afterKey` (null: at the very start). The clause's own depth says
 * where: after.depth + 1 makes it the first child of `after`; a depth ≤ after.depth makes it the next
 * sibling of `after` (or of its ancestor at that depth), placed after that whole subtree.
 */
export function insertAfter(clauses: readonly Clause[], afterKey: string | null, clause: Clause): Clause[] {
  if (clauses.some((c) => c.key === clause.key)) {
    throw new ClauseOperationError('duplicateKey', `key "${clause.key}" is already in this revision`);
  }
  let at = 0;
  if (afterKey === null) {
    if (clause.depth !== 0) throw new ClauseOperationError('invalidDepth', 'the first clause must be at depth 0');
  } else {
    let i = indexOfKey(clauses, afterKey);
    const after = clauses[i]!;
    if (clause.depth > after.depth + 1) {
      throw new ClauseOperationError('invalidDepth', `depth ${clause.depth} cannot follow depth ${after.depth}`);
    }
    if (clause.depth === after.depth + 1) {
      if (!isContainer(after.kind)) throw new ClauseOperationError('parentIsLeaf', `a ${after.kind} cannot contain other clauses`);
      at = i + 1;
    } else {
      while (clauses[i]!.depth > clause.depth) i = parentIndex(clauses, i);
      at = subtreeEnd(clauses, i);
    }
  }
  return checked([...clauses.slice(0, at), { ...clause }, ...clauses.slice(at)], 'cannot insert');
}

/** A patch field set to undefined removes that field. */
export function updateClause(clauses: readonly Clause[], key: string, patch: ClausePatch): Clause[] {
  const i = indexOfKey(clauses, key);
  const next: Record<string, unknown> = { ...clauses[i]! };
  for (const [field, value] of Object.entries(patch)) {
    if (field === 'key' || field === 'depth') continue;
    if (value === undefined) delete next[field];
    else next[field] = value;
  }
  return checked(clauses.map((c, j) => (j === i ? (next as Clause) : c)), 'cannot update');
}

/** Swaps the clause's subtree with the previous sibling's subtree. */
export function moveUp(clauses: readonly Clause[], key: string): Clause[] {
  const i = indexOfKey(clauses, key);
  const p = previousSibling(clauses, i);
  if (p < 0) throw new ClauseOperationError('noPreviousSibling', 'the clause is already first among its siblings');
  const end = subtreeEnd(clauses, i);
  return checked([...clauses.slice(0, p), ...clauses.slice(i, end), ...clauses.slice(p, i), ...clauses.slice(end)], 'cannot move up');
}

/** Swaps the clause's subtree with the next sibling's subtree. */
export function moveDown(clauses: readonly Clause[], key: string): Clause[] {
  const i = indexOfKey(clauses, key);
  const end = subtreeEnd(clauses, i);
  if (end >= clauses.length || clauses[end]!.depth !== clauses[i]!.depth) {
    throw new ClauseOperationError('noNextSibling', 'the clause is already last among its siblings');
  }
  const nextEnd = subtreeEnd(clauses, end);
  return checked([...clauses.slice(0, i), ...clauses.slice(end, nextEnd), ...clauses.slice(i, end), ...clauses.slice(nextEnd)], 'cannot move down');
}

/** Makes the clause (with its subtree) the last child of its previous sibling. */
export function indent(clauses: readonly Clause[], key: string): Clause[] {
  const i = indexOfKey(clauses, key);
  const p = previousSibling(clauses, i);
  if (p < 0) throw new ClauseOperationError('noPreviousSibling', 'there is no previous sibling to indent under');
  if (!isContainer(clauses[p]!.kind)) {
    throw new ClauseOperationError('parentIsLeaf', `a ${clauses[p]!.kind} cannot contain other clauses`);
  }
  const end = subtreeEnd(clauses, i);
  return checked([...clauses.slice(0, i), ...shift(clauses.slice(i, end), 1), ...clauses.slice(end)], 'cannot indent');
}

/**
 * Makes the clause (with its subtree) the next sibling of its parent. The clause moves to after the
 * parent's subtree, so its later siblings stay where they are instead of becoming its children.
 */
export function outdent(clauses: readonly Clause[], key: string): Clause[] {
  const i = indexOfKey(clauses, key);
  if (clauses[i]!.depth === 0) throw new ClauseOperationError('alreadyTopLevel', 'the clause is already at the top level');
  const end = subtreeEnd(clauses, i);
  const parentEnd = subtreeEnd(clauses, parentIndex(clauses, i));
  return checked([
    ...clauses.slice(0, i), ...clauses.slice(end, parentEnd), ...shift(clauses.slice(i, end), -1), ...clauses.slice(parentEnd),
  ], 'cannot outdent');
}

/** Removes the clause and everything under it. */
export function removeClause(clauses: readonly Clause[], key: string): Clause[] {
  const i = indexOfKey(clauses, key);
  return checked([...clauses.slice(0, i), ...clauses.slice(subtreeEnd(clauses, i))], 'cannot remove');
}

export interface ClauseNode { clause: Clause; children: ClauseNode[] }

export function toTree(clauses: readonly Clause[]): ClauseNode[] {
  const roots: ClauseNode[] = [];
  const open: ClauseNode[] = [];
  for (const clause of clauses) {
    const node: ClauseNode = { clause, children: [] };
    open.length = Math.min(open.length, clause.depth);
    (open.length ? open[open.length - 1]!.children : roots).push(node);
    open.push(node);
  }
  return roots;
}

/** The inverse of toTree: depths are taken from the nesting, not from the clauses. */
export function fromTree(nodes: readonly ClauseNode[], depth = 0): Clause[] {
  return nodes.flatMap((n) => [{ ...n.clause, depth }, ...fromTree(n.children, depth + 1)]);
}
