/** Time as a port, so use cases and tests agree on "now" without fake timers. */
export interface Clock {
  now(): Date;
}

/** The machine's clock. */
export const systemClock: Clock = { now: () => new Date() };
