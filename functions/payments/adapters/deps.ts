import * as z from 'zod/mini';
import { documentClient } from '../../_platform/document-client';
import { systemClock } from '../../_platform/clock';
import { loadConfig } from '../../_platform/config';
import type { PaymentSagaDeps } from '../domain/deps';
import { dynamoPaymentAttempts } from './payment-attempts.dynamo';

/** The payment saga's dependencies, from ORDERS_TABLE (env). Call once per cold start. */
export const paymentSagaDeps = (): PaymentSagaDeps => {
  const { ORDERS_TABLE } = loadConfig(z.object({ ORDERS_TABLE: z.string().check(z.minLength(1)) }));
  return { attempts: dynamoPaymentAttempts(documentClient(), ORDERS_TABLE), clock: systemClock };
};
