import * as z from 'zod/mini';
import { taskHandler } from '../../_platform/task-handler';
import { queryAfterTimeoutDeps } from '../adapters/deps';
import { queryGatewayAfterTimeout } from '../domain/query-gateway-after-timeout';
import { sagaInputShape } from '../saga-input';

const Input = z.object(sagaInputShape);
const deps = queryAfterTimeoutDeps();

/** Saga task after the wait timed out: `{ orderId, paymentId, gateway, gatewayReference, amount }` → `{ outcome, failureCode? }`. */
export const handler = taskHandler(Input, (input) => queryGatewayAfterTimeout(deps, input));
