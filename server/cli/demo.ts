// npm run demo — fills an EMPTY installation with a believable committee and documents (server/demo/).
// Connects like admin:create: MONGODB_URI when set; otherwise the running server's embedded engine on
// ENGINE_PORT, or, when no server runs, the engine started here on the file store in DATA_DIR.
import { loadConfig } from '../config.js';
import { connectForCommand } from '../db/command-database.js';
import { mongoose } from '../db/mongoose.js';
import { loadTemplates, templatesDir } from '../documents/templates.js';
import { DemoRefused, loadDemo, type DemoSummary } from '../demo/load.js';
import { systemClock } from '../time/clock.js';
import { createLogger } from '../logger.js';
import { createMailer } from '../mail/mailer.js';
import { sessionSecretFromDatabase } from '../db/settings-model.js';
import { assembleSystem } from '../system.js';
import { formatInstant } from '../time/format.js';

const roleNames: Record<string, string> = {
  administrator: 'administrator', secretariat: 'secretariat', head: 'head of delegation', member: 'delegation member', manufacturer: 'manufacturer',
};

function tableOf(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...r[i]!].length)));
  const line = (r: string[]) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(rows[0]!), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

function report(summary: DemoSummary, publicUrl: string): string {
  const people = tableOf([
    ['role', 'delegation', 'name', 'e-mail', 'password', 'try'],
    ...summary.people.map((p) => [roleNames[p.role] ?? p.role, p.delegation ?? '—', p.name, p.email, summary.password, p.tryThis]),
  ]);
  const docs = summary.documents.map((d) => {
    const revs = d.revisions.map((r) => `revision ${r.number}: ${r.clauses} clauses${r.frozen ? ', frozen' : ''}`).join('; ');
    const until = d.closesAt ? `, comments until ${formatInstant(d.closesAt, 'en')}` : '';
    return `  ${d.title}\n    ${d.state} (stage ${d.stage})${until} — ${revs}\n    ${publicUrl}/documents/${d.id}`;
  });
  const laser = summary.documents.find((d) => d.revisions.length > 1);
  return [
    `Accord demo data loaded in ${(summary.milliseconds / 1000).toFixed(1)} s.`,
    '',
    `Sign in at ${publicUrl}/sign-in with any of these accounts (the same password for all):`,
    '',
    people,
    '',
    'Documents:',
    ...docs,
    '',
    ...(laser ? [`Redline between revisions 1 and 2 (sign in as the secretariat): ${publicUrl}/documents/${laser.id}/compare?from=1&to=2`] : []),
    'Drafts are visible to the committee (administrator, secretariat, heads, members); manufacturers and visitors see only published documents.',
  ].join('\n');
}

async function main(): Promise<number> {
  const config = loadConfig();
  const done = await connectForCommand(config);
  try {
    const templates = await loadTemplates(templatesDir);
    // Built as the server builds it: the notices a move causes (a period opened) go out as they would there.
    const logger = createLogger('warn');
    const secret = config.sessionSecret ?? (await sessionSecretFromDatabase());
    const system = assembleSystem({ mailer: createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, logger }), publicUrl: config.publicUrl, secret, logger, clock: systemClock });
    const summary = await loadDemo({ templates, lifecycle: system.lifecycle, clock: systemClock });
    await system.notices.drain();
    console.log(report(summary, config.publicUrl));
    return 0;
  } catch (err) {
    if (err instanceof DemoRefused) {
      console.error(err.message);
      return 1;
    }
    throw err;
  } finally {
    await done();
  }
}

main().then((code) => process.exit(code), (err) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
