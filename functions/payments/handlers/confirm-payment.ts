import * as z from 'zod/mini';
import { taskHandler } from '../../_platform/task-handler';
import { paymentSagaDeps } from '../adapters/deps';
import { confirmPayment } from '../domain/confirm-payment';

const Input = z.object({
  orderId: z.string().check(z.minLength(1)),
  paymentId: z.string().check(z.minLength(1)),
  result: z.object({ status: z.literal('succeeded'), providerReference: z.optional(z.string()) }),
});
const deps = paymentSagaDeps();

/** Saga task: `{ orderId, paymentId, result }` → `{ orderId, paymentId, status: 'succeeded' }`. */
export const handler = taskHandler(Input, (input) => confirmPayment(deps, input));
