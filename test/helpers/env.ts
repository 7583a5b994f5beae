import os from 'node:os';
import path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { connectDatabase, disconnectDatabase } from '../../server/db/connect.js';
import { defaultEngineCacheDir, startEngine, type RunningEngine } from '../../server/db/engine.js';
import { seedDelegations } from '../../server/delegations/service.js';
import { seedProductGroups } from '../../server/documents/product-groups.js';
import { loadTemplates, templatesDir, type Template } from '../../server/documents/templates.js';
import { SmtpCapture } from './smtp.js';

/**
 * What the whole test run shares: one database engine (memory backend, free loopback port, temporary
 * folder) and one SMTP capture, started once and stopped at the end. With MONGODB_URI set the suite
 * runs against that server instead, in a database of its own.
 */
export interface TestEnvironment {
  mongoUri: string;
  engine?: RunningEngine;
  smtp: SmtpCapture;
  tmpDir: string;
  templates: Template[];
}

let current: TestEnvironment | undefined;

export function testEnv(): TestEnvironment {
  if (!current) throw new Error('the test environment is not started (test/helpers/hooks.ts)');
  return current;
}

export async function startTestEnvironment(): Promise<TestEnvironment> {
  const tmpDir = await mkdtemp(path.join(os.tmpdir(), 'accord-test-'));
  const external = process.env.MONGODB_URI;
  const engine = external ? undefined : await startEngine({ backend: 'memory', port: 0, cacheDir: defaultEngineCacheDir() });
  const mongoUri = external ? external.replace(/\/[^/?]*(\?|$)/, `/accord_test_${process.pid}$1`) : `${engine!.uri}/accord_test`;
  const smtp = new SmtpCapture();
  await smtp.start();
  // The tests count and read the commands the code sends (command monitoring, which production leaves off).
  await connectDatabase(withCommandMonitoring(mongoUri));
  await seedDelegations();
  await seedProductGroups();
  current = { mongoUri, engine, smtp, tmpDir, templates: await loadTemplates(templatesDir) };
  return current;
}

export async function stopTestEnvironment(): Promise<void> {
  if (!current) return;
  const { engine, smtp, tmpDir } = current;
  if (!engine) {
    const { mongoose } = await import('../../server/db/mongoose.js');
    await mongoose.connection.db?.dropDatabase().catch(() => undefined);
  }
  await disconnectDatabase().catch(() => undefined);
  await smtp.stop();
  await engine?.stop();
  await rm(tmpDir, { recursive: true, force: true });
  current = undefined;
}

/** The address with the driver's command monitoring on (it is decided per connection, when it is made). */
const withCommandMonitoring = (uri: string): string => `${uri}${uri.includes('?') ? '&' : '?'}monitorCommands=true`;
