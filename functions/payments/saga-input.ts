import * as z from 'zod/mini';
import { moneySchema } from '../_platform/money';
import { PAYMENT_FAILURE_CODES } from './domain/model';

/** Schemas of the saga's state as its task handlers receive it (the PaymentSagaInput plus what steps added). */
const id = () => z.string().check(z.minLength(1));

/** The saga's input: PaymentSagaInput (checkout/domain/ports.ts). */
export const sagaInputShape = {
  orderId: id(),
  paymentId: id(),
  gateway: z.enum(['bkash', 'nagad']),
  gatewayReference: id(),
  amount: moneySchema,
};

export const stockLinesSchema = z.array(z.object({ sku: id(), quantity: z.int().check(z.positive()) }));

/** `$.capture`: what CapturePayment returned. */
export const captureSchema = z.object({ transactionId: id(), amount: moneySchema, capturedAt: z.string() });

/** `$.error`: what a Catch or the PaymentNotApproved state put there. */
export const caughtErrorSchema = z.object({ Error: z.string(), Cause: z.optional(z.string()) });

export const failureCodeSchema = z.enum(PAYMENT_FAILURE_CODES);
