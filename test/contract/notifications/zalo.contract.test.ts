import * as z from 'zod/mini';
import { inMemoryTokenCache } from '../../../functions/_platform/token-cache';
import { createZaloChannel, zaloConfig } from '../../../functions/notifications/channels/zalo';
import { startZaloSimulator } from '../../../local/simulators/zalo';
import { messageChannelContract } from './message-channel.contract';

messageChannelContract('zalo', {
  to: '+84901234567',
  invalidTo: '+8412',
  start: startZaloSimulator,
  create: async (simulator, http, callbackUrl) => {
    // Zalo's webhook is the OA's setting, not a field of the request.
    await fetch(`${simulator.url}/__control/webhook`, { method: 'POST', body: JSON.stringify({ url: callbackUrl }) });
    return createZaloChannel(z.parse(zaloConfig, simulator.secret), http, inMemoryTokenCache());
  },
});
