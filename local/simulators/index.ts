import type { CarrierSimulator } from './carrier/kit';
import type { ProviderSimulator } from './contracts';
import { startBkashSimulator } from './bkash';
import { startEasyPostSimulator } from './easypost';
import { startGhnSimulator } from './ghn';
import { startNagadSimulator } from './nagad';
import { startPathaoSimulator } from './pathao';
import { startSteadfastSimulator } from './steadfast';
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
  ghn: startGhnSimulator,
  pathao: startPathaoSimulator,
  steadfast: startSteadfastSimulator,
  easypost: startEasyPostSimulator,
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

/** Carrier simulators send their webhooks to our API's `/webhooks/<carrier>`, as each carrier's portal would be set. */
export const pointCarrierWebhooksAt = async (simulators: Readonly<Record<string, ProviderSimulator>>, apiUrl: string): Promise<void> => {
  await Promise.all(
    Object.entries(simulators)
      .filter((entry): entry is [string, CarrierSimulator] => 'setWebhookUrl' in entry[1])
      .map(([carrier, simulator]) => simulator.setWebhookUrl(`${apiUrl.replace(/\/$/, '')}/webhooks/${carrier}`)),
  );
};
