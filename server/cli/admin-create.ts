// npm run admin:create — creates the first administrator from the terminal, as the first-run page does.
// Uses MONGODB_URI when set; otherwise the embedded engine (the running server's, or a fresh start).
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { connectForCommand } from '../db/command-database.js';
import { AppError } from '../errors.js';
import { translate } from '../i18n/index.js';
import { createFirstAdministrator } from '../users/service.js';
import { z } from 'zod';
import { email as emailSchema, parseInput, text } from '../http/validate.js';

async function ask(question: string, hidden = false): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  if (hidden && process.stdin.isTTY) {
    // Echo nothing of what is typed after the prompt.
    const out = rl as unknown as { _writeToOutput: (s: string) => void };
    out._writeToOutput = (s: string) => {
      if (s.includes(question)) process.stdout.write(question);
    };
  }
  const answer = await rl.question(question);
  if (hidden && process.stdin.isTTY) process.stdout.write('\n');
  rl.close();
  return answer.trim();
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { email: { type: 'string' }, name: { type: 'string' } } });
  const config = loadConfig();
  const done = await connectForCommand(config);
  try {
    const email = values.email ?? (await ask('E-mail: '));
    const name = values.name ?? (await ask('Name / Имя: '));
    const password = await ask('Password / Пароль (12+): ', true);
    const input = parseInput(z.strictObject({ email: emailSchema, name: text(200), password: z.string().max(256) }), { email, name, password });
    const user = await createFirstAdministrator(input);
    console.log(`Administrator ${user.email} created. Sign in at ${config.publicUrl}/sign-in`);
    return 0;
  } catch (err) {
    if (err instanceof AppError) {
      // A form error names its fields; the terminal shows what each field needs instead.
      const details = err.details ? [...new Set(Object.entries(err.details).map(([f, k]) => `${f}: ${translate('en', k, err.params)}`))] : [];
      console.error(err.messageKey === 'validation.failed' && details.length ? details.join('\n') : translate('en', err.messageKey, err.params));
      return 1;
    }
    throw err;
  } finally {
    await done();
  }
}

main().then((code) => process.exit(code), (err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
