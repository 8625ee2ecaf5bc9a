import * as z from 'zod/mini';
import { createPathaoCarrier, pathaoConfig } from '../../../functions/shipping/carriers/pathao';
import { inMemoryTokenCache } from '../../../functions/_platform/token-cache';
import type { CarrierSimulator } from '../../../local/simulators/carrier/kit';
import { startPathaoSimulator } from '../../../local/simulators/pathao';
import { carrierContract, contractHttpClient } from './carrier.contract';

let simulator: CarrierSimulator;
carrierContract(
  'pathao',
  async () => {
    simulator = await startPathaoSimulator();
    const carrier = createPathaoCarrier(z.parse(pathaoConfig, simulator.secret), contractHttpClient().http, inMemoryTokenCache());
    return { carrier, simulator, destination: { line1: 'House 12, Road 5, Dhanmondi', city: 'Dhaka', postalCode: '1205', country: 'BD' }, phone: '+8801712345678' };
  },
  () => simulator.stop(),
);
