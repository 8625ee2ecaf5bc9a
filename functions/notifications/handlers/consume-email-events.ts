import * as z from 'zod/mini';
import { logger } from '../../_platform/observability';
import { queueHandler } from '../../_platform/queue-handler';
import { emailEventDeps } from '../adapters/deps';
import { parseSesEvent } from '../channels/ses';
import { recordDelivery } from '../domain/record-delivery';

const deps = emailEventDeps();

/** One SES event as SNS delivers it raw to the queue. */
const sesEventSchema = z.looseObject({ mail: z.looseObject({ messageId: z.string() }) });

/** SES → SNS email-events topic → this queue: sends, deliveries, bounces and complaints update the message record. */
export const handler = queueHandler(sesEventSchema, async (event) => {
  for (const receipt of parseSesEvent(event)) {
    const outcome = await recordDelivery(deps, receipt);
    logger.info('email event', { status: receipt.status, outcome });
  }
});
