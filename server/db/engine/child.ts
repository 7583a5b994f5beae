// The engine's child process: waiting until it listens (or saying why it did not), stopping it
// gently, and stopping whatever is still running when this process exits.
import type { ChildProcess } from 'node:child_process';
import { EnginePortInUseError, EngineSetupError, JDK_HINT } from './errors.js';

type Log = (line: string) => void;

const LISTENING = /^accord-engine listening 127\.0\.0\.1:(\d+)$/;
const START_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 10_000;
const STDERR_TAIL_LINES = 3;
const STACK_FRAME = /^\s+(at |\.\.\. \d+ more)/;
/** Launcher.java's exit status for a taken port */
const EXIT_PORT_IN_USE = 3;

/** The port the engine says it listens on; rejects when it exits, fails to start, hangs or is aborted. */
export function waitForListening(child: ChildProcess, log: Log, requestedPort: number, signal?: AbortSignal): Promise<number> {
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

export async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
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
