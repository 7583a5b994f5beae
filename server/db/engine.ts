// The embedded database engine (docs/engine.md): mongo-java-server 1.47.0 started as a child process
// through our own Launcher.java. Jars are fetched once with Maven into a cache, the launcher is
// compiled once with javac (engine/install.ts); the engine dies with this process (stdin pipe + exit
// handler, engine/child.ts). superviseEngine() restarts it with back-off when it dies on its own.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { Socket } from 'node:net';
import path from 'node:path';
import { stopChild, stopOnExit, waitForListening } from './engine/child.js';
import { classesDir, ENGINE_VERSION, ensureEngineInstalled } from './engine/install.js';

export { EnginePortInUseError, EngineSetupError } from './engine/errors.js';
export { defaultEngineCacheDir, ensureEngineInstalled } from './engine/install.js';
export { stopOnExit } from './engine/child.js';

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

type Log = (line: string) => void;

export async function startEngine(opts: EngineOptions): Promise<RunningEngine> {
  const log = opts.log ?? (() => {});
  const args = await engineArgs(opts);
  await ensureEngineInstalled(opts.cacheDir, log);

  opts.signal?.throwIfAborted();
  const child = spawnEngine(opts.cacheDir, args);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await listeningPort(child, exited, log, opts);
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

/** The launcher's arguments; for the h2 backend, the store's folder is created. */
async function engineArgs(opts: EngineOptions): Promise<string[]> {
  const args = ['--port', String(opts.port), '--backend', opts.backend];
  if (opts.backend === 'h2') {
    if (!opts.file) throw new Error('startEngine: the h2 backend needs a file');
    const file = path.resolve(opts.file);
    await mkdir(path.dirname(file), { recursive: true });
    args.push('--file', file);
  }
  return args;
}

function spawnEngine(cacheDir: string, args: string[]): ChildProcess {
  const classpath = [classesDir(cacheDir), path.join(cacheDir, 'lib', '*')].join(path.delimiter);
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
  return child;
}

/** The port the engine listens on; an engine that does not get there is stopped before the error goes on. */
async function listeningPort(child: ChildProcess, exited: Promise<void>, log: Log, opts: EngineOptions): Promise<number> {
  try {
    return await waitForListening(child, log, opts.port, opts.signal);
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
