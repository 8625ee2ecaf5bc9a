import * as z from 'zod/mini';
import { taskHandler } from '../../_platform/task-handler';
import { captureDeps } from '../adapters/deps';
import { capturePayment } from '../domain/capture-payment';
import { sagaInputShape } from '../saga-input';

const Input = z.object(sagaInputShape);
const deps = captureDeps();

/** Saga task: `{ orderId, paymentId, gateway, gatewayReference, amount }` → `{ transactionId, amount, capturedAt }`. */
export const handler = taskHandler(Input, (input) => capturePayment(deps, input));
