import * as z from 'zod/mini';
import { createSteadfastCarrier, steadfastConfig } from '../../../functions/shipping/carriers/steadfast';
import type { CarrierSimulator } from '../../../local/simulators/carrier/kit';
import { startSteadfastSimulator } from '../../../local/simulators/steadfast';
import { carrierContract, contractHttpClient } from './carrier.contract';

let simulator: CarrierSimulator;
carrierContract(
  'steadfast',
  async () => {
    simulator = await startSteadfastSimulator();
    const carrier = createSteadfastCarrier(z.parse(steadfastConfig, simulator.secret), contractHttpClient().http);
    return { carrier, simulator, destination: { line1: 'Zindabazar Road 3', city: 'Sylhet', postalCode: '3100', country: 'BD' }, phone: '+8801812345678' };
  },
  () => simulator.stop(),
);
