import type { Writable } from 'node:stream';

/**
 * Until the stream can take more, or is closed (at once when it already is). The listeners go with the wait:
 * `once` for each of the two events would leave the other's behind at every wait, thousands of them on one
 * long export.
 */
export function drained(out: Writable): Promise<void> {
  if (out.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
}
