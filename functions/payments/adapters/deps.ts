import { SFNClient } from '@aws-sdk/client-sfn';
import * as z from 'zod/mini';
import { sdkClientDefaults } from '../../_platform/aws-clients';
import { systemClock } from '../../_platform/clock';
import { loadConfig } from '../../_platform/config';
import { documentClient } from '../../_platform/document-client';
import { eventPublisherFromConfig } from '../../_platform/event-publisher.sns';
import { dynamoOrderRepository } from '../../checkout/adapters/order-repository.dynamo';
import { dynamoStockLedger } from '../../checkout/adapters/stock-ledger.dynamo';
import type { PaymentReturnDeps } from '../domain/accept-payment-return';
import { systemIds } from '../../_platform/ids';
import type { CancelOrderDeps } from '../domain/cancel-order';
import type { PaymentSagaDeps } from '../domain/deps';
import type { VerifiedResultDeps } from '../domain/record-verified-result';
import type { RequestRefundDeps } from '../domain/request-refund';
import type { SettleRefundDeps } from '../domain/settle-refund';
import type { GatewayRegistry } from '../gateways/registry';
import { gatewayRegistryFromConfig } from './gateways';
import { dynamoPaymentAttempts, dynamoPaymentResolutions } from './payment-attempts.dynamo';
import { sfnRefundWorkflow } from './refund-workflow.sfn';
import { sfnSagaCallback } from './saga-callback.sfn';

const nonEmpty = () => z.string().check(z.minLength(1));

/** What the AwaitPaymentResult step needs, from ORDERS_TABLE (env). Call once per cold start. */
export const awaitResultDeps = (): Pick<PaymentSagaDeps, 'resolutions' | 'saga' | 'clock'> => {
  const { ORDERS_TABLE } = loadConfig(z.object({ ORDERS_TABLE: nonEmpty() }));
  return { resolutions: dynamoPaymentResolutions(documentClient(), ORDERS_TABLE), saga: sfnSagaCallback(new SFNClient(sdkClientDefaults)), clock: systemClock };
};

/**
 * What verifying a claimed result needs, from ORDERS_TABLE, REFUND_STATE_MACHINE_ARN (money taken after an attempt
 * failed is refunded) and the given gateways.
 */
export const verifiedResultDeps = (gateways: GatewayRegistry): VerifiedResultDeps => {
  const { ORDERS_TABLE, REFUND_STATE_MACHINE_ARN } = loadConfig(z.object({ ORDERS_TABLE: nonEmpty(), REFUND_STATE_MACHINE_ARN: nonEmpty() }));
  const documents = documentClient();
  return {
    orders: dynamoOrderRepository(documents, ORDERS_TABLE),
    refunds: sfnRefundWorkflow(new SFNClient(sdkClientDefaults), REFUND_STATE_MACHINE_ARN),
    attempts: dynamoPaymentAttempts(documents, ORDERS_TABLE),
    resolutions: dynamoPaymentResolutions(documents, ORDERS_TABLE),
    saga: sfnSagaCallback(new SFNClient(sdkClientDefaults)),
    gateways,
    clock: systemClock,
  };
};

/**
 * What the buyer's return needs, from ORDERS_TABLE and the gateway settings (env). The gateways use the resilient
 * client's own retries here: the buyer is waiting, and only safe calls (status queries) are made.
 */
export const paymentReturnDeps = (): PaymentReturnDeps => verifiedResultDeps(gatewayRegistryFromConfig());

// One factory per saga step, each building only what its step uses, so a step's bundle carries only those clients
// and adapters. Gateway calls are made once per invocation (`maxRetries: 0`): the state machine owns retries, so they
// never multiply. Call once per cold start.

/** CapturePayment: the gateways. */
export const captureDeps = (): Pick<PaymentSagaDeps, 'gateways' | 'clock'> => ({ gateways: gatewayRegistryFromConfig({ maxRetries: 0 }), clock: systemClock });

/** QueryGatewayAfterTimeout: the gateways. */
export const queryAfterTimeoutDeps = (): Pick<PaymentSagaDeps, 'gateways'> => ({ gateways: gatewayRegistryFromConfig({ maxRetries: 0 }) });

/** ConfirmPayment: the attempt, the order and the events topic (ORDERS_TABLE, EVENTS_TOPIC_ARN). */
export const confirmDeps = (): Pick<PaymentSagaDeps, 'attempts' | 'orders' | 'events' | 'clock'> => {
  const { ORDERS_TABLE } = loadConfig(z.object({ ORDERS_TABLE: nonEmpty() }));
  const documents = documentClient();
  return {
    attempts: dynamoPaymentAttempts(documents, ORDERS_TABLE),
    orders: dynamoOrderRepository(documents, ORDERS_TABLE),
    events: eventPublisherFromConfig(),
    clock: systemClock,
  };
};

/** CompensatePayment: the attempt, the order, the stock (CATALOG_TABLE), the gateways (refunds) and the events topic. */
export const compensateDeps = (): Pick<PaymentSagaDeps, 'attempts' | 'orders' | 'stock' | 'gateways' | 'events' | 'clock'> => {
  const { ORDERS_TABLE, CATALOG_TABLE } = loadConfig(z.object({ ORDERS_TABLE: nonEmpty(), CATALOG_TABLE: nonEmpty() }));
  const documents = documentClient();
  return {
    attempts: dynamoPaymentAttempts(documents, ORDERS_TABLE),
    orders: dynamoOrderRepository(documents, ORDERS_TABLE),
    stock: dynamoStockLedger(documents, CATALOG_TABLE),
    gateways: gatewayRegistryFromConfig({ maxRetries: 0 }),
    events: eventPublisherFromConfig(),
    clock: systemClock,
  };
};

/** POST /orders/{id}/refunds: the orders and the refund workflow (ORDERS_TABLE, REFUND_STATE_MACHINE_ARN). */
export const requestRefundDeps = (): RequestRefundDeps => {
  const { ORDERS_TABLE, REFUND_STATE_MACHINE_ARN } = loadConfig(z.object({ ORDERS_TABLE: nonEmpty(), REFUND_STATE_MACHINE_ARN: nonEmpty() }));
  return {
    orders: dynamoOrderRepository(documentClient(), ORDERS_TABLE),
    refunds: sfnRefundWorkflow(new SFNClient(sdkClientDefaults), REFUND_STATE_MACHINE_ARN),
    clock: systemClock,
    ids: systemIds,
  };
};

/** POST /orders/{id}/cancel: what a refund request needs, plus the saga callback, the stock and the events topic. */
export const cancelOrderDeps = (): CancelOrderDeps => {
  const { ORDERS_TABLE, CATALOG_TABLE } = loadConfig(z.object({ ORDERS_TABLE: nonEmpty(), CATALOG_TABLE: nonEmpty() }));
  const documents = documentClient();
  return {
    ...requestRefundDeps(),
    resolutions: dynamoPaymentResolutions(documents, ORDERS_TABLE),
    saga: sfnSagaCallback(new SFNClient(sdkClientDefaults)),
    stock: dynamoStockLedger(documents, CATALOG_TABLE),
    events: eventPublisherFromConfig(),
  };
};

/** Refund workflow step: the order, its attempts, the gateways (called once per invocation) and the events topic. */
export const settleRefundDeps = (): SettleRefundDeps => {
  const { ORDERS_TABLE } = loadConfig(z.object({ ORDERS_TABLE: nonEmpty() }));
  const documents = documentClient();
  return {
    orders: dynamoOrderRepository(documents, ORDERS_TABLE),
    attempts: dynamoPaymentAttempts(documents, ORDERS_TABLE),
    gateways: gatewayRegistryFromConfig({ maxRetries: 0 }),
    events: eventPublisherFromConfig(),
    clock: systemClock,
  };
};
