import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';

const redact = {
  paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.password', '*.passwordHash', '*.token', '*.secret'],
  censor: '[redacted]',
};

/**
 * The server's logger: one JSON object per line (what log collectors read), except in development with a
 * terminal on stdout, where lines are made readable by pino-pretty — one line each, the request id kept.
 */
export function createLogger(level: string, opts: { env?: string; terminal?: boolean; destination?: NodeJS.WritableStream } = {}): Logger {
  const readable = opts.env === 'development' && (opts.terminal ?? process.stdout.isTTY === true);
  if (!readable) return pino({ level, redact }, opts.destination ?? pino.destination(1));
  return pino({ level, redact }, pretty({ singleLine: true, colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', sync: true, destination: opts.destination ?? 1 }));
}
