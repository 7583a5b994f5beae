// A revision's clauses: a flat array in document order whose tree is implied by `depth`.
// Flat because that is how a standard is read, stored, diffed and printed; the tree is derived (toTree).
// The model (kinds, schemas, errors) is in clause-model.ts, the rules between fields and clauses in
// clause-rules.ts, the tree operations in clause-edits.ts; this module is their common address.
export * from './clause-model.js';
export * from './clause-rules.js';
export * from './clause-edits.js';
