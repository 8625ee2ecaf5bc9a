import * as z from 'zod/mini';
import { taskHandler } from '../../_platform/task-handler';
import { paymentSagaDeps } from '../adapters/deps';
import { awaitPaymentResult } from '../domain/await-payment-result';

const Input = z.object({
  taskToken: z.string().check(z.minLength(1)),
  orderId: z.string().check(z.minLength(1)),
  paymentId: z.string().check(z.minLength(1)),
  timeoutSeconds: z.int().check(z.positive()),
});
const deps = paymentSagaDeps();

/** Saga task (waitForTaskToken): `{ taskToken, orderId, paymentId, timeoutSeconds }` → `{ stored: true }`. */
export const handler = taskHandler(Input, (input) => awaitPaymentResult(deps, input));
