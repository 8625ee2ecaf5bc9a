import type { SimulatorMode, SimulatorScenario } from '../contracts';

/** Past bKash's 30 s execute window and the client's heavy timeout, unless a test asks for less. */
const DEFAULT_DELAY_MS = 31_000;
/** Modes that apply to a counted number of events when no `times` is given; the others last until changed. */
const DEFAULT_TIMES: Partial<Record<SimulatorMode, number>> = { flaky: 1, 'timeout-then-complete': 1 };

/** The scripted behaviour of a simulator: one mode at a time, optionally for a number of events. */
export class Scenario {
  private mode: SimulatorMode = 'normal';
  private delay = DEFAULT_DELAY_MS;
  /** Events left before the mode ends; undefined = until the scenario changes. */
  private remaining: number | undefined;

  set({ mode, delayMs, times }: SimulatorScenario): void {
    this.mode = mode;
    this.delay = delayMs ?? DEFAULT_DELAY_MS;
    this.remaining = times ?? DEFAULT_TIMES[mode];
  }

  reset(): void {
    this.set({ mode: 'normal' });
  }

  get delayMs(): number {
    return this.delay;
  }

  /** True while `mode` is on, without using up an event (down, slow). */
  is(mode: SimulatorMode): boolean {
    return this.mode === mode && this.remaining !== 0;
  }

  /** True when `mode` is on, using up one of its events; the scenario falls back to normal after the last one. */
  take(mode: SimulatorMode): boolean {
    if (!this.is(mode)) return false;
    if (this.remaining !== undefined) {
      this.remaining -= 1;
      if (this.remaining === 0) this.reset();
    }
    return true;
  }

  describe(): SimulatorScenario & { remaining: number | null } {
    return { mode: this.mode, delayMs: this.delay, remaining: this.remaining ?? null };
  }
}
