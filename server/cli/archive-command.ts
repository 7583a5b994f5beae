// What `npm run backup` and `npm run restore` share: the database as found (no index building, no
// migrations, no five-second limit on an answer), the time the work took, a refusal said in one line
// (exit status 1), and the exit status of the process.
import { loadConfig } from '../config.js';
import { connectForCommand } from '../db/command-database.js';
import { BackupError } from '../db/backup.js';
import { mongoose } from '../db/mongoose.js';

export function runArchiveCommand(refused: string, work: (db: mongoose.mongo.Db) => Promise<(seconds: string) => string>): void {
  const main = async (): Promise<number> => {
    const done = await connectForCommand(loadConfig(), { prepare: false, socketTimeoutMS: 0 });
    try {
      const started = process.hrtime.bigint();
      const report = await work(mongoose.connection.db!);
      console.log(report((Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)));
      return 0;
    } catch (err) {
      if (!(err instanceof BackupError)) throw err;
      console.error(`${refused}: ${err.message}`);
      return 1;
    } finally {
      await done();
    }
  };
  main().then(
    (code) => process.exit(code),
    (err) => {
      console.error(err instanceof Error ? err.stack : err);
      process.exit(1);
    },
  );
}
