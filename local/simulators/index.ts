import type { ProviderSimulator } from './contracts';
import { startBkashSimulator } from './bkash';
import { startNagadSimulator } from './nagad';
import { startEsmsSimulator } from './esms';
import { startHifptSimulator } from './hifpt';
import { startSslWirelessSimulator } from './sslwireless';
import { startTwilioSimulator } from './twilio';
import { startZaloSimulator } from './zalo';

type StartSimulator = (options: { host?: string; port?: number }) => Promise<ProviderSimulator>;

/** One line per simulated provider (its id is the provider id of lib/config/providers.ts). */
const SIMULATORS = {
  bkash: startBkashSimulator,
  nagad: startNagadSimulator,
  twilio: startTwilioSimulator,
  sslwireless: startSslWirelessSimulator,
  esms: startEsmsSimulator,
  zalo: startZaloSimulator,
  hifpt: startHifptSimulator,
} satisfies Record<string, StartSimulator>;

export type SimulatedProvider = keyof typeof SIMULATORS;
/** The running simulators, each with its own kind's interface (payment simulators have a buyer). */
export type RunningSimulators = { [P in SimulatedProvider]: Awaited<ReturnType<(typeof SIMULATORS)[P]>> };
export const SIMULATED_PROVIDERS = Object.keys(SIMULATORS) as SimulatedProvider[];

/**
 * Starts every provider simulator. With `firstPort`, simulator n listens on firstPort + n (stable URLs for a
 * person's browser); without it each takes a free port (tests).
 */
export const startSimulators = async (options: { host?: string; firstPort?: number } = {}): Promise<RunningSimulators> => {
  const started: Array<[SimulatedProvider, ProviderSimulator]> = [];
  try {
    for (const [index, provider] of SIMULATED_PROVIDERS.entries()) {
      const port = options.firstPort === undefined ? 0 : options.firstPort + index;
      started.push([provider, await SIMULATORS[provider]({ host: options.host, port })]);
    }
  } catch (err) {
    await Promise.all(started.map(([, simulator]) => simulator.stop()));
    throw Object.assign(err as Error, { port: (err as { port?: number }).port });
  }
  return Object.fromEntries(started) as RunningSimulators;
};
