// npm run restore -- FILE [--replace] — loads an archive written by `npm run backup` into an empty
// database (server/db/backup.ts; docs/operations.md, "Backups"). A database that holds anything is refused
// unless --replace is given, which drops what is there first. Stop the server before restoring.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { connectForCommand } from '../db/command-database.js';
import { BackupError, restoreDatabase } from '../db/backup.js';
import { mongoose } from '../db/mongoose.js';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { replace: { type: 'boolean', default: false } } });
  const file = positionals[0];
  if (!file) {
    console.error('usage: npm run restore -- FILE [--replace]');
    return 2;
  }
  // A whole collection is read (or written) in one go: no five-second limit on an answer here.
  const done = await connectForCommand(loadConfig(), { prepare: false, socketTimeoutMS: 0 });
  try {
    const started = process.hrtime.bigint();
    const s = await restoreDatabase(mongoose.connection.db!, path.resolve(file), { replace: values.replace });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    console.log(`restored ${s.collections.length} collections, ${s.documents} documents and ${s.files} stored files (every hash checked) in ${(ms / 1000).toFixed(1)} s`);
    return 0;
  } catch (err) {
    if (err instanceof BackupError) {
      console.error(`restore refused: ${err.message}`);
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
