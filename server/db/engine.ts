// The embedded database engine (docs/engine.md): mongo-java-server 1.47.0 started as a child process
// through our own Launcher.java. Jars are fetched once with Maven into a cache, the launcher is
// compiled once with javac; the engine dies with this process (stdin pipe + exit handler).
// superviseEngine() restarts it with back-off when it dies on its own.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface EngineOptions {
  backend: 'memory' | 'h2';
  /** 0 = any free port */
  port: number;
  /** H2 store file, required for h2; its folder is created */
  file?: string;
  /** where the jars and the compiled launcher live, e.g. ~/.cache/accord-engine-1.47.0 */
  cacheDir: string;
  /** the engine's own output, line by line */
  log?: (line: string) => void;
  /** called when the engine exits without stop() having been called; without it, the exit is logged */
  onUnexpectedExit?: (reason: string) => void;
  /** aborting it while the engine is still starting stops that engine and rejects */
  signal?: AbortSignal;
}

export interface RunningEngine {
  /** mongodb://127.0.0.1:PORT */
  uri: string;
  port: number;
  /** SIGTERM (the H2 store commits on close), wait for exit, SIGKILL after 10 s */
  stop(): Promise<void>;
}

/** Java or Maven is missing or unusable; the message is one actionable line. */
export class EngineSetupError extends Error {
  override name = 'EngineSetupError';
}

/** The engine's port is taken (most often by another Accord); the message says what to set. */
export class EnginePortInUseError extends EngineSetupError {
  override name = 'EnginePortInUseError';
  constructor(readonly port: number) {
    super(
      `The embedded database cannot listen on 127.0.0.1:${port}: the port is taken (is another Accord running?). ` +
        `Set ENGINE_PORT to a free port, or MONGODB_URI to use another database.`,
    );
  }
}

type Log = (line: string) => void;

const ENGINE_VERSION = '1.47.0';
const ENGINE_DIR = fileURLToPath(new URL('./engine/', import.meta.url));
const LAUNCHER_SOURCE = path.join(ENGINE_DIR, 'Launcher.java');
const POM = path.join(ENGINE_DIR, 'pom.xml');
/** written last by a successful Maven run, so a half-copied lib/ is fetched again */
const LIB_MARKER = '.complete';
const LISTENING = /^accord-engine listening 127\.0\.0\.1:(\d+)$/;
const START_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 10_000;
const STDERR_TAIL_LINES = 3;
const STACK_FRAME = /^\s+(at |\.\.\. \d+ more)/;
/** Launcher.java's exit status for a taken port */
const EXIT_PORT_IN_USE = 3;

const FALLBACK = '(or set MONGODB_URI)';
const JDK_HINT = `apt-get install -y openjdk-17-jdk-headless ${FALLBACK}`;

export function defaultEngineCacheDir(): string {
  return path.join(os.homedir(), '.cache', `accord-engine-${ENGINE_VERSION}`);
}

export async function ensureEngineInstalled(cacheDir: string, log: Log = () => {}): Promise<void> {
  await checkJava();
  await fetchJars(cacheDir, log);
  await compileLauncher(cacheDir, log);
}

export async function startEngine(opts: EngineOptions): Promise<RunningEngine> {
  const log = opts.log ?? (() => {});
  const args = ['--port', String(opts.port), '--backend', opts.backend];
  if (opts.backend === 'h2') {
    if (!opts.file) throw new Error('startEngine: the h2 backend needs a file');
    const file = path.resolve(opts.file);
    await mkdir(path.dirname(file), { recursive: true });
    args.push('--file', file);
  }
  await ensureEngineInstalled(opts.cacheDir, log);

  opts.signal?.throwIfAborted();
  const classpath = [classesDir(opts.cacheDir), path.join(opts.cacheDir, 'lib', '*')].join(path.delimiter);
  const java = [
    // names the engine on its command line (lib/* is not expanded there), so `pgrep -f de.bwaldvogel` finds it
    `-Daccord.engine=de.bwaldvogel:mongo-java-server:${ENGINE_VERSION}`,
    // the library logs through SLF4J without a provider; silence SLF4J's warning about that
    '-Dslf4j.internal.verbosity=ERROR',
    '-cp', classpath, 'Launcher', ...args,
  ];
  // stdin stays an open pipe that nothing is written to: the engine stops when it reaches EOF.
  const child = spawn('java', java, { stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin?.on('error', () => {}); // EPIPE once the engine has gone; its exit is handled below
  stopOnExit(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  let port: number;
  try {
    port = await waitForListening(child, log, opts.port, opts.signal);
  } catch (err) {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      // Asked to stop: as gently as a running engine (the H2 store may be open). Hung: at once.
      if (opts.signal?.aborted) await stopChild(child, exited);
      else {
        child.kill('SIGKILL');
        await exited;
      }
    }
    throw err;
  }
  // The engine must not keep Node alive by itself: whoever uses it keeps the process running,
  // and a forgotten stop() is covered by the 'exit' handler.
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) {
    if (stream instanceof Socket) stream.unref();
  }

  let stopping: Promise<void> | undefined;
  child.once('exit', (code, signal) => {
    if (stopping) return;
    const reason = `embedded database exited unexpectedly (${signal ?? `code ${code}`})`;
    if (opts.onUnexpectedExit) opts.onUnexpectedExit(reason);
    else log(reason);
  });
  return {
    uri: `mongodb://127.0.0.1:${port}`,
    port,
    stop() {
      stopping ??= stopChild(child, exited);
      return stopping;
    },
  };
}

// --- supervision ------------------------------------------------------------------------------

/** Where the supervisor reports each death and restart; a pino logger fits. */
export interface SupervisorLog {
  warn(message: string): void;
}

export interface SupervisedEngine {
  /** mongodb://127.0.0.1:PORT; the same across restarts */
  uri: string;
  port: number;
  /** how many times the engine has been restarted so far */
  restarts(): number;
  /** stops the engine and any restart under way or planned; never restarts after this */
  stop(): Promise<void>;
}

/** Waits before each restart attempt, in order; the last one repeats. */
export const RESTART_BACKOFF_MS = [500, 1_000, 2_000, 4_000, 8_000, 15_000, 30_000];
/** An engine that ran this long before dying starts the back-off from the beginning again. */
export const RESTART_RESET_AFTER_MS = 60_000;

/**
 * Starts the engine and keeps it running: when it dies on its own (a crash, SIGKILL, SIGTERM from
 * someone else) it is started again on the same port with back-off, each attempt logged. The driver
 * reconnects by itself once the port answers again; meanwhile requests get 503. See docs/engine.md.
 * The first start is not retried: its failure (no Java, port taken) is the caller's to report.
 */
export async function superviseEngine(
  opts: Omit<EngineOptions, 'onUnexpectedExit' | 'signal'> & { events: SupervisorLog; backoffMs?: readonly number[] },
): Promise<SupervisedEngine> {
  const backoff = opts.backoffMs ?? RESTART_BACKOFF_MS;
  const stopped = new AbortController();
  let current: RunningEngine;
  let startedAt = performance.now();
  let attempt = 0; // restart attempts since the engine last ran for RESTART_RESET_AFTER_MS
  let restarts = 0;
  let timer: NodeJS.Timeout | undefined;
  let starting: Promise<void> | undefined;
  let downSince = 0;

  const start = (port: number) => startEngine({ ...opts, port, signal: stopped.signal, onUnexpectedExit: died });

  function died(reason: string): void {
    if (stopped.signal.aborted) return;
    downSince = performance.now();
    if (downSince - startedAt >= RESTART_RESET_AFTER_MS) attempt = 0;
    schedule(`${reason}; restarting it`);
  }

  function schedule(why: string): void {
    const delay = backoff[Math.min(attempt, backoff.length - 1)]!;
    attempt++;
    opts.events.warn(`${why} in ${seconds(delay)} s (attempt ${attempt})`);
    timer = setTimeout(() => {
      timer = undefined;
      starting = (async () => {
        try {
          current = await start(current.port);
          startedAt = performance.now();
          restarts++;
          opts.events.warn(`embedded database restarted at ${current.uri}, ${seconds(performance.now() - downSince)} s after it stopped (restart ${restarts})`);
        } catch (err) {
          if (stopped.signal.aborted) return;
          const why = (err instanceof Error ? err.message : String(err)).replace(/\.$/, '');
          schedule(`embedded database did not restart: ${why}; trying again`);
        } finally {
          starting = undefined;
        }
      })();
    }, delay);
  }

  current = await start(opts.port);
  return {
    uri: current.uri,
    port: current.port,
    restarts: () => restarts,
    async stop() {
      stopped.abort(new Error('the embedded database is being stopped'));
      clearTimeout(timer);
      await starting;
      await current.stop();
    },
  };
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);

function waitForListening(child: ChildProcess, log: Log, requestedPort: number, signal?: AbortSignal): Promise<number> {
  // For the error message: the launcher's own last word, else the last lines that are not stack frames.
  const stderrTail: string[] = [];
  const tail = () => {
    const summary = stderrTail.findLast((line) => line.startsWith('accord-engine: ')) ?? stderrTail.join(' | ');
    return summary ? `: ${summary}` : '';
  };
  forEachLine(child.stderr, (line) => {
    // The launcher's own last word goes into the error message; logging it as well would say it twice.
    if (!line.startsWith('accord-engine: ')) log(line);
    if (STACK_FRAME.test(line) || !line.trim()) return;
    stderrTail.push(line.trim());
    if (stderrTail.length > STDERR_TAIL_LINES) stderrTail.shift();
  });

  return new Promise<number>((resolve, reject) => {
    let settled = false;
    const onAbort = () => settle(() => reject(signal!.reason));
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      fn();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(
      () => settle(() => reject(new Error(`Embedded database did not start within ${START_TIMEOUT_MS / 1000} s${tail()}`))),
      START_TIMEOUT_MS,
    );
    forEachLine(child.stdout, (line) => {
      const match = LISTENING.exec(line);
      if (match && !settled) settle(() => resolve(Number(match[1])));
      else log(line);
    });
    child.once('error', (err: NodeJS.ErrnoException) =>
      settle(() => reject(err.code === 'ENOENT' ? new EngineSetupError(`Java 17 is needed to run the embedded database: ${JDK_HINT}`) : err)),
    );
    // 'close' rather than 'exit': by then stderr has been read to the end, so the tail is complete.
    child.once('close', (code, exitSignal) =>
      settle(() =>
        reject(
          code === EXIT_PORT_IN_USE
            ? new EnginePortInUseError(requestedPort)
            : new Error(`Embedded database exited before listening (${exitSignal ?? `code ${code}`})${tail()}`),
        ),
      ),
    );
  });
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.ref(); // keep this process alive until the engine has exited
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

// Engines still running when this process exits. 'exit' handlers cannot wait, so each gets SIGTERM
// and finishes its clean shutdown on its own (SIGKILL would lose the H2 store's last second).
// If this process dies without 'exit' (a signal, kill -9), the engine sees EOF on stdin instead.
const running = new Set<ChildProcess>();
function stopAllOnExit(): void {
  for (const child of running) child.kill('SIGTERM');
}
/** Sends SIGTERM to the child if this process exits first; also used for the test suite's servers. */
export function stopOnExit(child: ChildProcess): void {
  if (running.size === 0) process.on('exit', stopAllOnExit);
  running.add(child);
  child.once('exit', () => {
    running.delete(child);
    if (running.size === 0) process.off('exit', stopAllOnExit);
  });
}

function forEachLine(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  if (!stream) return;
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    let newline: number;
    while ((newline = buffered.indexOf('\n')) !== -1) {
      onLine(buffered.slice(0, newline).replace(/\r$/, ''));
      buffered = buffered.slice(newline + 1);
    }
  });
  stream.on('end', () => {
    if (buffered) onLine(buffered);
  });
}

// --- installation -----------------------------------------------------------------------------

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
function classesDir(cacheDir: string): string {
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
