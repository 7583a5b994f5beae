// Installing the embedded engine (docs/engine.md): its jars are fetched once with Maven into a cache
// (pom.xml), our Launcher.java is compiled once with javac; both are moved into place only when complete.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EngineSetupError, FALLBACK, JDK_HINT } from './errors.js';

type Log = (line: string) => void;

export const ENGINE_VERSION = '1.47.0';
const ENGINE_DIR = fileURLToPath(new URL('./', import.meta.url));
const LAUNCHER_SOURCE = path.join(ENGINE_DIR, 'Launcher.java');
const POM = path.join(ENGINE_DIR, 'pom.xml');
/** written last by a successful Maven run, so a half-copied lib/ is fetched again */
const LIB_MARKER = '.complete';

export function defaultEngineCacheDir(): string {
  return path.join(os.homedir(), '.cache', `accord-engine-${ENGINE_VERSION}`);
}

export async function ensureEngineInstalled(cacheDir: string, log: Log = () => {}): Promise<void> {
  await checkJava();
  await fetchJars(cacheDir, log);
  await compileLauncher(cacheDir, log);
}

let javaChecked: Promise<void> | undefined;
function checkJava(): Promise<void> {
  javaChecked ??= (async () => {
    const result = await run('java', ['-version']);
    if (result === 'missing') throw new EngineSetupError(`Java 17 is needed to run the embedded database: ${JDK_HINT}`);
    // `openjdk version "17.0.15" …` or, before Java 9, `java version "1.8.0_392"`
    const version = /version "(\d+)(?:\.(\d+))?/.exec(result.output)?.slice(1).map(Number);
    const major = version?.[0] === 1 ? version[1] : version?.[0];
    if (major === undefined || major < 17) {
      throw new EngineSetupError(`Java 17 is needed to run the embedded database, found ${major ?? 'an unknown version'}: ${JDK_HINT}`);
    }
  })();
  // A failed check is retried next time (the user may have installed Java meanwhile).
  javaChecked.catch(() => (javaChecked = undefined));
  return javaChecked;
}

async function fetchJars(cacheDir: string, log: Log): Promise<void> {
  const lib = path.join(cacheDir, 'lib');
  if (await exists(path.join(lib, LIB_MARKER))) return;

  // Fetch into a private folder and move it into place, so that nobody sees a half-filled lib/.
  await mkdir(cacheDir, { recursive: true });
  const staging = path.join(cacheDir, `lib.${process.pid}.${Date.now()}`);
  log(`fetching mongo-java-server ${ENGINE_VERSION} with Maven into ${lib}`);
  try {
    const result = await run('mvn', ['-q', '-B', '-f', POM, 'dependency:copy-dependencies', `-DoutputDirectory=${staging}`]);
    if (result === 'missing') {
      throw new EngineSetupError(`Maven is needed once to fetch the embedded database: apt-get install -y maven ${FALLBACK}`);
    }
    if (result.code !== 0) {
      throw new EngineSetupError(`Maven could not fetch mongo-java-server ${ENGINE_VERSION} (exit ${result.code}): ${mavenError(result.output)} ${FALLBACK}`);
    }
    const jars = (await readdir(staging)).filter((name) => name.endsWith('.jar'));
    if (!jars.some((name) => name.startsWith('mongo-java-server-h2-backend-'))) {
      throw new EngineSetupError(`Maven did not produce the mongo-java-server jars in ${staging} ${FALLBACK}`);
    }
    await writeFile(path.join(staging, LIB_MARKER), `${jars.join('\n')}\n`);
    await moveIntoPlace(staging, lib, () => exists(path.join(lib, LIB_MARKER)));
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/**
 * The compiled launcher, in a folder named after its source's hash: checkouts with different
 * launchers that share the cache (branches, worktrees) each run their own.
 */
export function classesDir(cacheDir: string): string {
  launcherHash ??= createHash('sha256').update(readFileSync(LAUNCHER_SOURCE)).digest('hex').slice(0, 12);
  return path.join(cacheDir, `classes-${launcherHash}`);
}
let launcherHash: string | undefined;

async function compileLauncher(cacheDir: string, log: Log): Promise<void> {
  const classes = classesDir(cacheDir);
  const upToDate = () => exists(path.join(classes, 'Launcher.class'));
  if (await upToDate()) return;

  const staging = path.join(cacheDir, `classes.${process.pid}.${Date.now()}`);
  log(`compiling ${LAUNCHER_SOURCE}`);
  try {
    const classpath = path.join(cacheDir, 'lib', '*');
    const result = await run('javac', ['--release', '17', '-cp', classpath, '-d', staging, LAUNCHER_SOURCE]);
    if (result === 'missing') throw new EngineSetupError(`javac (a JDK 17) is needed once to build the embedded database launcher: ${JDK_HINT}`);
    if (result.code !== 0) throw new Error(`javac failed on ${LAUNCHER_SOURCE}: ${result.output.trim()}`);
    await moveIntoPlace(staging, classes, upToDate);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/**
 * Replaces `target` with the finished `staging` folder, unless a concurrent install (parallel test
 * workers) has meanwhile put a good one there: that one may be in use, so it is left alone.
 */
async function moveIntoPlace(staging: string, target: string, done: () => Promise<boolean>): Promise<void> {
  if (await done()) return;
  await rm(target, { recursive: true, force: true });
  try {
    await rename(staging, target);
  } catch (err) {
    if (!(await done())) throw err;
  }
}

type RunResult = { code: number; output: string } | 'missing';

/** Runs a tool to completion, collecting stdout and stderr together; 'missing' when it is not installed. */
function run(command: string, args: string[]): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.once('error', (err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? resolve('missing') : reject(err)));
    child.once('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

/** Maven's first error line (its last one is only a pointer to the help pages), as plain text. */
function mavenError(output: string): string {
  // Maven colours its output even with -B
  const lines = output.replace(/\x1b\[[0-9;]*m/g, '').split('\n').map((line) => line.trim()).filter(Boolean);
  return lines.find((line) => line.startsWith('[ERROR]')) ?? lines.at(-1) ?? 'no output';
}

async function mtime(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).mtimeMs;
  } catch {
    return undefined;
  }
}

async function exists(file: string): Promise<boolean> {
  return (await mtime(file)) !== undefined;
}
