import * as z from 'zod/mini';
import { taskHandler } from '../../_platform/task-handler';
import { settleRefundDeps } from '../adapters/deps';
import { settleOrderRefund } from '../domain/settle-refund';

const Input = z.object({ orderId: z.string().check(z.minLength(1)), refundId: z.string().check(z.minLength(1)) });
const deps = settleRefundDeps();

/** Refund workflow task: `{ orderId, refundId }` → `{ orderId, refundId, status }` (pending, succeeded or failed). */
export const handler = taskHandler(Input, (input) => settleOrderRefund(deps, input));
