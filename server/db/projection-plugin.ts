import type { Query, Schema } from 'mongoose';

/**
 * The embedded engine serialises a document after releasing its lock, so a read without a projection
 * can come back torn under concurrency (docs/engine.md). A projection makes it copy under the lock; this
 * plugin gives every query that names no fields the schema's own top-level fields.
 */
export function projectionPlugin(schema: Schema): void {
  const fields = [...new Set(Object.keys(schema.paths).map((p) => p.split('.')[0]))];
  const projection = Object.fromEntries(fields.map((f) => [f, 1]));
  const ops: ('find' | 'findOne' | 'findOneAndUpdate' | 'findOneAndReplace' | 'findOneAndDelete')[] = ['find', 'findOne', 'findOneAndUpdate', 'findOneAndReplace', 'findOneAndDelete'];
  schema.pre(ops, function (this: Query<unknown, unknown>) {
    const current = this.projection();
    if (!current || Object.keys(current).length === 0) this.select(projection);
  });
}
