import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '../../server/logger.js';

/** A stream that keeps what is written to it. */
function sink(): Writable & { text: string } {
  const s = new Writable({
    write(chunk, _enc, done) {
      s.text += chunk.toString();
      done();
    },
  }) as Writable & { text: string };
  s.text = '';
  return s;
}

function written(opts: { env: string; terminal: boolean }, log: (logger: ReturnType<typeof createLogger>) => void): string {
  const out = sink();
  log(createLogger('info', { ...opts, destination: out }));
  return out.text;
}

describe('logs', () => {
  it('are JSON lines in production, whatever stdout is', () => {
    const out = written({ env: 'production', terminal: true }, (l) => l.child({ reqId: 'req-12345678' }).info({ body: { password: 'x' } }, 'request completed'));
    const line = JSON.parse(out.trim());
    assert.equal(line.msg, 'request completed');
    assert.equal(line.reqId, 'req-12345678');
    assert.equal(line.body.password, '[redacted]');
  });

  it('are readable single lines in development on a terminal, with the request id', () => {
    const out = written({ env: 'development', terminal: true }, (l) => l.child({ reqId: 'req-12345678' }).info({ body: { password: 'x' } }, 'request completed'));
    assert.equal(out.trim().split('\n').length, 1);
    assert.throws(() => JSON.parse(out));
    assert.match(out, /request completed/);
    assert.match(out, /req-12345678/);
    assert.doesNotMatch(out, /"password":"x"/);
  });

  it('stay JSON in development when stdout is not a terminal (piped to a file or a collector)', () => {
    const out = written({ env: 'development', terminal: false }, (l) => l.info('started'));
    assert.equal(JSON.parse(out.trim()).msg, 'started');
  });
});
