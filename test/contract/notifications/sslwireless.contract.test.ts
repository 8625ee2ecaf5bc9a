import * as z from 'zod/mini';
import { createSslWirelessChannel, sslWirelessConfig } from '../../../functions/notifications/channels/sslwireless';
import { startSslWirelessSimulator } from '../../../local/simulators/sslwireless';
import { messageChannelContract } from './message-channel.contract';

messageChannelContract('sslwireless', {
  to: '+8801712345678',
  invalidTo: '+8801212',
  start: startSslWirelessSimulator,
  create: async (simulator, http) => createSslWirelessChannel(z.parse(sslWirelessConfig, simulator.secret), http),
});
