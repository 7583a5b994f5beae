// npm run restore -- FILE [--replace] — loads an archive written by `npm run backup` into an empty
// database (server/db/backup.ts; docs/operations.md, "Backups"). A database that holds anything is refused
// unless --replace is given, which drops what is there first. Stop the server before restoring.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { restoreDatabase } from '../db/backup.js';
import { runArchiveCommand } from './archive-command.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { replace: { type: 'boolean', default: false } } });
if (!positionals[0]) {
  console.error('usage: npm run restore -- FILE [--replace]');
  process.exit(2);
}
const source = path.resolve(positionals[0]);
runArchiveCommand('restore refused', async (db) => {
  const s = await restoreDatabase(db, source, { replace: values.replace });
  return (seconds) => `restored ${s.collections.length} collections, ${s.documents} documents and ${s.files} stored files (every hash checked) in ${seconds} s`;
});
