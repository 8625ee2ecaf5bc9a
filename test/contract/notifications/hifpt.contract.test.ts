import * as z from 'zod/mini';
import { createHifptChannel, hifptConfig } from '../../../functions/notifications/channels/hifpt';
import { startHifptSimulator } from '../../../local/simulators/hifpt';
import { messageChannelContract } from './message-channel.contract';

messageChannelContract('hifpt', {
  to: 'staff-0042',
  invalidTo: 'not a user id',
  start: startHifptSimulator,
  create: async (simulator, http, callbackUrl) => createHifptChannel(z.parse(hifptConfig, simulator.secret), http, callbackUrl),
});
