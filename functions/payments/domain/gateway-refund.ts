import { ProviderIndeterminateError, ProviderTerminalError } from '../../_platform/errors';
import type { GatewayCallOptions, PaymentGateway, RefundRequest, RefundResult } from './ports';

/**
 * Asks `gateway` to refund, never twice for one money movement: once a refund was submitted (`submitted`), the
 * gateway's refund status is asked first and the refund is sent again only when the gateway reports it failed (it
 * did not take it). `markSubmitted` is written BEFORE the call, so a crash after the call still leads to a status
 * query. An unknown outcome (timeout, 5xx) is answered by a status query too; a definite refusal is a `failed`
 * result carrying the gateway's reason. Throws ProviderRetryableError (and any other error) for the caller to retry.
 */
export const refundAtGateway = async (
  gateway: PaymentGateway,
  request: RefundRequest,
  options: GatewayCallOptions,
  progress: { submitted: boolean; markSubmitted: () => Promise<void> },
): Promise<RefundResult> => {
  const earlier = progress.submitted ? await gateway.refundStatus(request, options) : undefined;
  if (earlier && earlier.state !== 'failed') return earlier;
  await progress.markSubmitted();
  try {
    return await gateway.refund(request, options);
  } catch (error) {
    if (error instanceof ProviderIndeterminateError) return gateway.refundStatus(request, options);
    if (error instanceof ProviderTerminalError) return { state: 'failed', amount: request.amount, gatewayStatus: error.message };
    throw error;
  }
};
