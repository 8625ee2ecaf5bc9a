/** One thing the deployment depends on (a table, the events topic, a provider secret), checked without side effects. */
export interface DependencyProbe {
  /** Stable public name: `table:orders`, `topic:events`, `secret:bkash`. */
  readonly name: string;
  /**
   * Resolves when the dependency is usable; rejects otherwise. Should stop work when `signal` aborts (the deadline).
   * Reads metadata only: never a secret value, never data. Reject with DependencyUnhealthyError to give a reason
   * that is safe to publish; any other error is reported by its name only.
   */
  check(signal: AbortSignal): Promise<void>;
}
