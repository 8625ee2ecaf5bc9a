import * as z from 'zod/mini';
import { taskHandler } from '../../_platform/task-handler';
import { compensateDeps } from '../adapters/deps';
import { compensatePayment } from '../domain/compensate-payment';
import { captureSchema, caughtErrorSchema, sagaInputShape, stockLinesSchema } from '../saga-input';

// The whole saga state arrives; `capture` is there only when money moved before the failure.
const Input = z.object({
  ...sagaInputShape,
  stockToRelease: stockLinesSchema,
  error: caughtErrorSchema,
  capture: z.optional(captureSchema),
});
const deps = compensateDeps();

/** Saga compensation (the saga state with `$.error`) → `{ orderId, paymentId, status: 'failed', failureCode, refunded }`. */
export const handler = taskHandler(Input, (input) => compensatePayment(deps, input));
