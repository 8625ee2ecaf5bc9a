import * as z from 'zod/mini';
import { createTwilioChannel, twilioConfig, twilioSignature } from '../../../functions/notifications/channels/twilio';
import { startTwilioSimulator } from '../../../local/simulators/twilio';
import { messageChannelContract } from './message-channel.contract';

messageChannelContract('twilio', {
  to: '+14155550101',
  invalidTo: '+1',
  start: startTwilioSimulator,
  create: async (simulator, http, callbackUrl) => createTwilioChannel(z.parse(twilioConfig, simulator.secret), http, callbackUrl),
});

describe('X-Twilio-Signature', () => {
  it('reproduces Twilio\'s published test vector', () => {
    const params = { CallSid: 'CA1234567890ABCDE', Caller: '+12349013030', Digits: '1234', From: '+12349013030', To: '+18005551212' };
    expect(twilioSignature('12345', 'https://mycompany.com/myapp.php?foo=1&bar=2', params)).toBe('0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
  });
});
