import { type SnsSubscriber, snsSubscriber } from '../../_platform/sns-message';
import type { VerifiedResultDeps } from '../domain/record-verified-result';
import { bkashIpnTrust } from '../gateways/bkash-ipn';
import { verifiedResultDeps } from './deps';
import { gatewayAccessFromConfig } from './gateways';

/** What bKash's IPN needs: the return's deps plus an SNS subscriber trusting what the bKash secret says. */
export interface BkashWebhookDeps extends VerifiedResultDeps {
  readonly sns: SnsSubscriber;
}

/**
 * The bKash webhook's deps (ORDERS_TABLE and the gateway settings). The SNS certificate and subscription calls go
 * through the gateways' resilient client as provider `bkash`, with its breaker and audit trail.
 */
export const bkashWebhookDeps = (): BkashWebhookDeps => {
  const { registry, http, secretOf } = gatewayAccessFromConfig();
  return {
    ...verifiedResultDeps(registry),
    sns: snsSubscriber({ provider: 'bkash', http, trust: async () => bkashIpnTrust(await secretOf('bkash')) }),
  };
};
