// A standard's consolidated editions (docs/amendments.md) are stored as files of the same document, one per
// revision: the index that allowed one file per document is replaced by one per document and revision
// (server/publishing/storage.ts builds it); this drops the old one.
import type { mongo } from 'mongoose';
import type { Migration } from './migration.js';

export const editionFiles: Migration = {
  id: '2026-12-edition-files',
  async up(db: mongo.Db) {
    try {
      await db.collection('publications.files').dropIndex('document_unique');
      return 1;
    } catch (err) {
      const e = err as { code?: number; message?: string };
      if (e.code === 27 || e.code === 26 || /index not found|ns not found|can't find index/i.test(e.message ?? '')) return 0;
      throw err;
    }
  },
};
