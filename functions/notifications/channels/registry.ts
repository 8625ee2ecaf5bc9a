import type { SESv2Client } from '@aws-sdk/client-sesv2';
import * as z from 'zod/mini';
import type { HttpClient } from '../../_platform/http-client';
import type { TokenCache } from '../../_platform/token-cache';
import type { Channel } from '../domain/model';
import type { ChannelRegistry, MessageChannel, MessagingProviderId, ReceiptParser } from '../domain/ports';
import { createEsmsChannel, esmsConfig } from './esms';
import { createHifptChannel, hifptConfig } from './hifpt';
import { createSesChannel, type SesSettings } from './ses';
import { createSslWirelessChannel, sslWirelessConfig } from './sslwireless';
import { createTwilioChannel, twilioConfig } from './twilio';
import { createZaloChannel, zaloConfig } from './zalo';

/** What building an adapter needs besides its own secret. */
export interface ChannelContext {
  readonly http: HttpClient;
  readonly tokens: TokenCache;
  /** Our webhook for a provider's receipts: `<public API>/webhooks/<provider>`. */
  readonly callbackUrl: (provider: SecretProvider) => string;
}

type SecretProvider = Exclude<MessagingProviderId, 'ses'>;
type Adapter = MessageChannel & Partial<ReceiptParser>;

interface ProviderEntry {
  readonly channel: Channel;
  /** Builds the adapter from its secret, whose shape is checked first (names wrong fields, never echoes a value). */
  readonly create: (secret: unknown, context: ChannelContext) => Adapter;
}

const fromSecret =
  <Config>(id: SecretProvider, schema: z.ZodMiniType<Config>, create: (config: Config, context: ChannelContext) => Adapter) =>
  (secret: unknown, context: ChannelContext): Adapter => {
    const parsed = z.safeParse(schema, secret);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((issue) => issue.path.join('.') || '(the whole secret)').join(', ');
      throw new Error(`the ${id} secret is incomplete or invalid (${fields}): put the credentials into it`);
    }
    return create(parsed.data, context);
  };

/** One line per provider whose credentials are in its Secrets Manager secret (SES uses the function's role). */
const factories = {
  twilio: { channel: 'sms', create: fromSecret('twilio', twilioConfig, (c, { http, callbackUrl }) => createTwilioChannel(c, http, callbackUrl('twilio'))) },
  sslwireless: { channel: 'sms', create: fromSecret('sslwireless', sslWirelessConfig, (c, { http }) => createSslWirelessChannel(c, http)) },
  esms: { channel: 'sms', create: fromSecret('esms', esmsConfig, (c, { http, callbackUrl }) => createEsmsChannel(c, http, callbackUrl('esms'))) },
  zalo: { channel: 'zalo', create: fromSecret('zalo', zaloConfig, (c, { http, tokens }) => createZaloChannel(c, http, tokens)) },
  hifpt: { channel: 'inapp', create: fromSecret('hifpt', hifptConfig, (c, { http, callbackUrl }) => createHifptChannel(c, http, callbackUrl('hifpt'))) },
} satisfies Record<SecretProvider, ProviderEntry>;

export const SECRET_PROVIDERS = Object.keys(factories) as SecretProvider[];

/** SMS providers to try by the number's country prefix (longest match; `*` for any other number). */
export type SmsChains = Readonly<Record<string, readonly SecretProvider[]>>;

export interface ChannelRegistryOptions extends ChannelContext {
  readonly smsChains: SmsChains;
  /** Reads a provider's secret as JSON (cached with a max age, so rotated credentials arrive without a redeploy). */
  readonly secretOf: (provider: SecretProvider) => Promise<unknown>;
  readonly ses?: { readonly client: SESv2Client; readonly settings: SesSettings };
}

/** An adapter built from its provider's current secret on first use, and rebuilt when the secret changes. */
const lazyAdapter = (id: SecretProvider, options: ChannelRegistryOptions): MessageChannel & ReceiptParser => {
  let built: { secretJson: string; adapter: Adapter } | undefined;
  const current = async (): Promise<Adapter> => {
    const secret = await options.secretOf(id);
    const secretJson = JSON.stringify(secret);
    if (built?.secretJson !== secretJson) built = { secretJson, adapter: factories[id].create(secret, options) };
    return built.adapter;
  };
  return {
    provider: id,
    channel: factories[id].channel,
    send: async (message) => (await current()).send(message),
    parse: async (request) => {
      const adapter = await current();
      if (!adapter.parse) throw new Error(`${id} sends no delivery receipts`);
      return adapter.parse(request);
    },
  };
};

/** The providers of each channel, in failover order; SMS by the number's country. */
export const channelRegistry = (options: ChannelRegistryOptions): ChannelRegistry => {
  const adapters = new Map(SECRET_PROVIDERS.map((id) => [id, lazyAdapter(id, options)]));
  const email = options.ses ? [createSesChannel(options.ses.settings, options.ses.client)] : [];
  const prefixes = Object.keys(options.smsChains).filter((prefix) => prefix !== '*').sort((a, b) => b.length - a.length);
  const smsChain = (to: string): MessageChannel[] => {
    const prefix = prefixes.find((candidate) => to.startsWith(candidate));
    return (options.smsChains[prefix ?? '*'] ?? []).map((id) => adapters.get(id)!);
  };
  return {
    chain(channel, to) {
      switch (channel) {
        case 'email':
          return email;
        case 'sms':
          return smsChain(to);
        case 'zalo':
          return [adapters.get('zalo')!];
        case 'inapp':
          return [adapters.get('hifpt')!];
      }
    },
    receipts(provider) {
      if (provider === 'ses') throw new Error('SES receipts arrive through the email-events queue');
      return adapters.get(provider)!;
    },
  };
};
