import * as z from 'zod/mini';
import { taskHandler } from '../../_platform/task-handler';
import { confirmDeps } from '../adapters/deps';
import { confirmPayment } from '../domain/confirm-payment';
import { captureSchema } from '../saga-input';

const Input = z.object({
  orderId: z.string().check(z.minLength(1)),
  paymentId: z.string().check(z.minLength(1)),
  capture: captureSchema,
});
const deps = confirmDeps();

/** Saga task: `{ orderId, paymentId, capture }` → `{ orderId, paymentId, status: 'succeeded', transactionId }`. */
export const handler = taskHandler(Input, (input) => confirmPayment(deps, input));
