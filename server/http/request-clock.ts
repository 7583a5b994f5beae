import type { NextFunction, Request, Response } from 'express';
import type { Clock } from '../time/clock.js';

declare module 'http' {
  interface IncomingMessage {
    /** The instant of this request, read once from the application's clock: every rule it applies uses it. */
    now: Date;
  }
}

export function requestClock(clock: Clock) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    req.now = clock.now();
    next();
  };
}
