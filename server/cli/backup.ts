// npm run backup -- FILE — writes a consistent archive of the whole installation while the server runs
// (server/db/backup.ts; docs/operations.md, "Backups"). Uses MONGODB_URI when set; otherwise the embedded
// engine (the running server's, or the file store started for the length of the command).
import path from 'node:path';
import { loadConfig } from '../config.js';
import { connectForCommand } from '../db/command-database.js';
import { backupDatabase, BackupError } from '../db/backup.js';
import { mongoose } from '../db/mongoose.js';

async function main(): Promise<number> {
  const file = process.argv[2];
  if (!file || file.startsWith('-')) {
    console.error('usage: npm run backup -- FILE   (e.g. accord-2026-12-04.accord-backup.gz)');
    return 2;
  }
  // A whole collection is read (or written) in one go: no five-second limit on an answer here.
  const done = await connectForCommand(loadConfig(), { prepare: false, socketTimeoutMS: 0 });
  try {
    const started = process.hrtime.bigint();
    const s = await backupDatabase(mongoose.connection.db!, path.resolve(file));
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    console.log(`backup written to ${path.resolve(file)}: ${s.collections.length} collections, ${s.documents} documents, ${s.files.length} stored files, ${(s.bytes / 1024).toFixed(0)} KiB in ${(ms / 1000).toFixed(1)} s${s.attempts > 1 ? ` (${s.attempts} attempts: the database changed during the earlier ones)` : ''}`);
    return 0;
  } catch (err) {
    if (err instanceof BackupError) {
      console.error(`backup failed: ${err.message}`);
      return 1;
    }
    throw err;
  } finally {
    await done();
  }
}

main().then((code) => process.exit(code), (err) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
