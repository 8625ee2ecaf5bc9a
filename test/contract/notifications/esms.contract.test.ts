import * as z from 'zod/mini';
import { createEsmsChannel, esmsConfig } from '../../../functions/notifications/channels/esms';
import { startEsmsSimulator } from '../../../local/simulators/esms';
import { messageChannelContract } from './message-channel.contract';

messageChannelContract('esms', {
  to: '+84901234567',
  invalidTo: '+8412',
  start: startEsmsSimulator,
  create: async (simulator, http, callbackUrl) => createEsmsChannel(z.parse(esmsConfig, simulator.secret), http, callbackUrl),
});
