import type { mongo } from 'mongoose';

type Db = mongo.Db;

/** One change to how data is stored; run.ts applies the list in order. */
export interface Migration {
  /** Stable and sortable: «2026-12-days-as-text». */
  id: string;
  /** Returns how many records it changed. */
  up(db: Db): Promise<number>;
}
