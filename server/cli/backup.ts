// npm run backup -- FILE — writes a consistent archive of the whole installation while the server runs
// (server/db/backup.ts; docs/operations.md, "Backups"). Uses MONGODB_URI when set; otherwise the embedded
// engine (the running server's, or the file store started for the length of the command).
import path from 'node:path';
import { backupDatabase } from '../db/backup.js';
import { runArchiveCommand } from './archive-command.js';

const file = process.argv[2];
if (!file || file.startsWith('-')) {
  console.error('usage: npm run backup -- FILE   (e.g. accord-2026-12-04.accord-backup.gz)');
  process.exit(2);
}
const target = path.resolve(file);
runArchiveCommand('backup failed', async (db) => {
  const s = await backupDatabase(db, target);
  const retried = s.attempts > 1 ? ` (${s.attempts} attempts: the database changed during the earlier ones)` : '';
  return (seconds) => `backup written to ${target}: ${s.collections.length} collections, ${s.documents} documents, ${s.files.length} stored files, ${(s.bytes / 1024).toFixed(0)} KiB in ${seconds} s${retried}`;
});
