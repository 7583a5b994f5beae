// Where "now" comes from. The application reads the time only through the clock it was given, so a
// test can fix it and nothing depends on the calendar day a test happens to run.

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that stands still until moved: for tests and for the demo loader's story. */
export class ManualClock implements Clock {
  private at: number;
  constructor(at: Date | string) {
    this.at = new Date(at).getTime();
    if (Number.isNaN(this.at)) throw new Error(`ManualClock: not a time: ${String(at)}`);
  }
  now(): Date {
    return new Date(this.at);
  }
  set(at: Date | string): void {
    this.at = new Date(at).getTime();
  }
  advance(ms: number): void {
    this.at += ms;
  }
}
