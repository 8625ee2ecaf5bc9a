import * as z from 'zod/mini';
import { taskHandler } from '../../_platform/task-handler';
import { awaitResultDeps } from '../adapters/deps';
import { awaitAndResume } from '../domain/await-payment-result';

const Input = z.object({
  taskToken: z.string().check(z.minLength(1)),
  orderId: z.string().check(z.minLength(1)),
  paymentId: z.string().check(z.minLength(1)),
  timeoutSeconds: z.int().check(z.positive()),
});
const deps = awaitResultDeps();

/** Saga task (waitForTaskToken): `{ taskToken, orderId, paymentId, timeoutSeconds }` → `{ stored: true, resumed }`. */
export const handler = taskHandler(Input, (input) => awaitAndResume(deps, input));
