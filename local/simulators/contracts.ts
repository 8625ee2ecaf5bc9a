/**
 * What every provider simulator offers besides the provider's own protocol: a control API (HTTP, so tests in other
 * processes and the local runtime can drive it); payment simulators add the buyer's side of hosted pages.
 *
 * Control API, on the simulator's own port:
 *   POST /__control/scenario  {"mode": SimulatorMode, "delayMs"?: number, "times"?: number}   → 204
 *   POST /__control/reset                                                                    → 204 (state and scenario)
 *   POST /__control/buyer/{gatewayReference}  {"action": BuyerAction}                        → 200 {"redirectUrl": string | null}
 *   GET  /__control/state                                                                    → 200 (the simulator's records, for debugging)
 */

/**
 * Modes every simulator understands:
 * - `normal`: behave like the provider's sandbox.
 * - `down`: every protocol call answers 503 (connection-level outage as the provider shows it).
 * - `slow`: every protocol call waits `delayMs` before answering (past the client's timeout to test timeouts).
 * - `flaky`: the next `times` protocol calls answer 5xx, then normal.
 */
export type CommonSimulatorMode = 'normal' | 'down' | 'slow' | 'flaky';

/**
 * A payment simulator's modes, besides the common ones:
 * - `decline`: the next payments are declined by the provider.
 * - `lose-callback`: the buyer approves but never comes back (the redirect is dropped).
 * - `duplicate-callback`: the buyer's return is delivered twice.
 * - `timeout-then-complete`: the next money-moving call (execute/complete/refund) applies, then answers only after
 *   `delayMs` (an outcome the caller cannot know without a status query).
 */
export type SimulatorMode = CommonSimulatorMode | 'decline' | 'lose-callback' | 'duplicate-callback' | 'timeout-then-complete';

export interface SimulatorScenario<Mode extends string = SimulatorMode> {
  readonly mode: Mode;
  readonly delayMs?: number;
  readonly times?: number;
}

/** What a buyer can do on the gateway's hosted page. */
export type BuyerAction = 'approve' | 'cancel' | 'insufficient-balance' | 'wrong-pin';

/** A running simulator of any provider (payment, carrier, messaging), as tests and the local runtime hold it. */
export interface ProviderSimulator<Mode extends string = string> {
  /** Base URL to put into the provider's secret as `baseUrl`. */
  readonly url: string;
  /** The sandbox credentials the simulator accepts, as the provider's secret holds them (adapter config shape). */
  readonly secret: Readonly<Record<string, string>>;
  /** Sets the fault scenario; each kind of provider documents the modes it understands. */
  scenario(scenario: SimulatorScenario<Mode>): Promise<void>;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** A payment gateway's simulator: a provider simulator with a hosted page a buyer acts on. */
export interface PaymentSimulator extends ProviderSimulator<SimulatorMode> {
  /**
   * Acts as the buyer on the hosted page. Returns where the browser is sent back to (the merchant's return URL with
   * the provider's query string), or null when the scenario loses the callback.
   */
  buyer(gatewayReference: string, action: BuyerAction): Promise<{ redirectUrl: string | null }>;
}
