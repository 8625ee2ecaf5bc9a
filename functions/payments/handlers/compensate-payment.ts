import * as z from 'zod/mini';
import { taskHandler } from '../../_platform/task-handler';
import { paymentSagaDeps } from '../adapters/deps';
import { compensatePayment } from '../domain/compensate-payment';

const Input = z.object({
  orderId: z.string().check(z.minLength(1)),
  paymentId: z.string().check(z.minLength(1)),
  error: z.object({ Error: z.string(), Cause: z.optional(z.string()) }),
});
const deps = paymentSagaDeps();

/** Saga compensation (the Catch's `$.error`): → `{ orderId, paymentId, status: 'failed', failureCode }`. */
export const handler = taskHandler(Input, (input) => compensatePayment(deps, input));
