import * as z from 'zod/mini';
import { createEasyPostCarrier, easypostConfig } from '../../../functions/shipping/carriers/easypost';
import type { CarrierSimulator } from '../../../local/simulators/carrier/kit';
import { startEasyPostSimulator } from '../../../local/simulators/easypost';
import { carrierContract, contractHttpClient } from './carrier.contract';

let simulator: CarrierSimulator;
carrierContract(
  'easypost',
  async () => {
    simulator = await startEasyPostSimulator();
    const carrier = createEasyPostCarrier(z.parse(easypostConfig, simulator.secret), contractHttpClient().http);
    return { carrier, simulator, destination: { line1: '221B Baker Street', city: 'London', postalCode: 'NW1 6XE', country: 'GB' }, phone: '+447700900123' };
  },
  () => simulator.stop(),
);
