import * as z from 'zod/mini';
import { dynamoAuditLog } from '../../_platform/audit-log.dynamo';
import { sesv2Client } from '../../_platform/aws-clients';
import { dynamoCircuitBreakerStore } from '../../_platform/circuit-breaker-store.dynamo';
import { systemClock } from '../../_platform/clock';
import { jsonEnv, loadConfig } from '../../_platform/config';
import { documentClient } from '../../_platform/document-client';
import { createHttpClient } from '../../_platform/resilient-http-client';
import { cachedJsonSecrets } from '../../_platform/json-secrets';
import { instanceCachedTokens } from '../../_platform/token-cache';
import { dynamoTokenCache } from '../../_platform/token-cache.dynamo';
import { channelRegistry, SECRET_PROVIDERS } from '../channels/registry';
import type { EventHandlerDeps } from '../domain/event-handlers';
import type { ChannelRegistry, TokenSigner } from '../domain/ports';
import type { RecordDeliveryDeps } from '../domain/record-delivery';
import type { SendDeps } from '../domain/send-notification';
import type { UnsubscribeDeps } from '../domain/preferences';
import type { WeeklySummaryDeps } from '../domain/seller-performance';
import { dynamoNotificationStore, dynamoTemplateStore } from './notification-store.dynamo';
import { dynamoOrderReader } from './order-reader.dynamo';
import { dynamoSalesLedger } from './sales-ledger.dynamo';
import { hmacTokenSigner } from './token-signer';

const nonEmpty = () => z.string().check(z.minLength(1));
const providerList = z.array(z.enum(SECRET_PROVIDERS as [string, ...string[]]));

const storeConfig = () => z.object({ NOTIFICATIONS_TABLE: nonEmpty() });
const signerConfig = () => z.object({ SIGNING_KEY_SECRET_ARN: nonEmpty() });
const channelsConfig = () =>
  z.object({
    INTEGRATION_STATE_TABLE: nonEmpty(),
    AUDIT_TABLE: nonEmpty(),
    PUBLIC_API_URL: z.url(),
    /** `{"twilio": "<secret arn>", …}`: one Secrets Manager secret per messaging provider. */
    MESSAGING_PROVIDER_SECRETS: jsonEnv(z.record(z.string(), z.string())),
    /** `{"+880": ["sslwireless", "twilio"], "*": ["twilio"]}`: SMS failover order by the number's prefix. */
    SMS_PROVIDER_CHAINS: jsonEnv(z.record(z.string(), providerList)),
  });
const sendConfig = () =>
  z.object({
    EMAIL_FROM: nonEmpty(),
    SES_CONFIGURATION_SET: nonEmpty(),
    COMPANY_NAME: nonEmpty(),
    COMPANY_POSTAL_ADDRESS: nonEmpty(),
  });

const store = () => dynamoNotificationStore(documentClient(), loadConfig(storeConfig()).NOTIFICATIONS_TABLE);

/** The capability's HMAC key (`{"signingKey": "…"}` in its secret), read through the 5-minute secret cache. */
const signer = (): TokenSigner => {
  const { SIGNING_KEY_SECRET_ARN } = loadConfig(signerConfig());
  const secretValue = cachedJsonSecrets();
  return hmacTokenSigner(async () => {
    const value = (await secretValue(SIGNING_KEY_SECRET_ARN)) as { signingKey?: unknown };
    if (typeof value.signingKey !== 'string' || value.signingKey.length < 32) throw new Error('the notifications signing secret has no signingKey');
    return value.signingKey;
  });
};

/** The messaging providers behind the resilient client (breakers in INTEGRATION_STATE_TABLE, audit in AUDIT_TABLE). */
const channels = (withSes: boolean): ChannelRegistry => {
  const config = loadConfig(channelsConfig());
  const secretValue = cachedJsonSecrets();
  const ses = withSes ? loadConfig(sendConfig()) : undefined;
  return channelRegistry({
    http: createHttpClient({ breakers: dynamoCircuitBreakerStore(config.INTEGRATION_STATE_TABLE), audit: dynamoAuditLog(config.AUDIT_TABLE) }),
    tokens: instanceCachedTokens(dynamoTokenCache(documentClient(), config.INTEGRATION_STATE_TABLE)),
    callbackUrl: (provider) => `${config.PUBLIC_API_URL}/webhooks/${provider}`,
    smsChains: config.SMS_PROVIDER_CHAINS as Record<string, (typeof SECRET_PROVIDERS)[number][]>,
    secretOf: async (provider) => {
      const arn = config.MESSAGING_PROVIDER_SECRETS[provider];
      if (!arn) throw new Error(`no secret configured for ${provider} (MESSAGING_PROVIDER_SECRETS)`);
      return secretValue(arn);
    },
    ...(ses && { ses: { client: sesv2Client(), settings: { from: ses.EMAIL_FROM, configurationSet: ses.SES_CONFIGURATION_SET } } }),
  });
};

/** Everything a message is sent with: store, templates, providers, the link signer. Call once per cold start. */
export const senderDeps = (): SendDeps => {
  const config = loadConfig(z.object({ ...sendConfig().shape, ...channelsConfig().shape }));
  return {
    store: store(),
    templates: dynamoTemplateStore(documentClient(), loadConfig(storeConfig()).NOTIFICATIONS_TABLE),
    channels: channels(true),
    signer: signer(),
    links: { apiUrl: config.PUBLIC_API_URL, companyName: config.COMPANY_NAME, postalAddress: config.COMPANY_POSTAL_ADDRESS },
    clock: systemClock,
  };
};

const sales = () => dynamoSalesLedger(documentClient(), loadConfig(storeConfig()).NOTIFICATIONS_TABLE);

/** The event consumer: sending, the orders events are about, and the sales counters it keeps for sellers. */
export const eventHandlerDeps = (): EventHandlerDeps => ({
  ...senderDeps(),
  orders: dynamoOrderReader(documentClient(), loadConfig(z.object({ ORDERS_TABLE: nonEmpty() })).ORDERS_TABLE),
  sales: sales(),
});

/** The weekly job: sending, and the sales counters the event consumer keeps. */
export const weeklySummaryDeps = (): WeeklySummaryDeps => ({ ...senderDeps(), sales: sales() });

/** What the delivery-receipt webhooks need: the providers' verifiers and the message store. */
export const receiptDeps = (): RecordDeliveryDeps & { channels: ChannelRegistry; publicApiUrl: string } => ({
  store: store(),
  clock: systemClock,
  channels: channels(false),
  publicApiUrl: loadConfig(channelsConfig()).PUBLIC_API_URL,
});

/** What the SES event consumer needs (no provider: SES events are trusted by the path they arrive on). */
export const emailEventDeps = (): RecordDeliveryDeps => ({ store: store(), clock: systemClock });

/** Preferences and one-click unsubscribe. */
export const preferencesDeps = (): UnsubscribeDeps => ({ store: store(), clock: systemClock, signer: signer() });

/** Template previews: stored templates only. */
export const templateDeps = () => ({ templates: dynamoTemplateStore(documentClient(), loadConfig(storeConfig()).NOTIFICATIONS_TABLE) });

/** Operator routes that set contacts. */
export const contactDeps = () => ({ store: store() });
