import * as z from 'zod/mini';
import { createGhnCarrier, ghnConfig } from '../../../functions/shipping/carriers/ghn';
import type { CarrierSimulator } from '../../../local/simulators/carrier/kit';
import { startGhnSimulator } from '../../../local/simulators/ghn';
import { carrierContract, contractHttpClient } from './carrier.contract';

let simulator: CarrierSimulator;
carrierContract(
  'ghn',
  async () => {
    simulator = await startGhnSimulator();
    const carrier = createGhnCarrier(z.parse(ghnConfig, simulator.secret), contractHttpClient().http);
    return { carrier, simulator, destination: { line1: '12 Nguyen Hue', city: 'Ho Chi Minh', postalCode: '700000', country: 'VN' }, phone: '+84901234567' };
  },
  () => simulator.stop(),
);
