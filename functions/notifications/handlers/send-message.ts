import { IDEMPOTENCY_KEY_HEADER, idempotentHttpHandler } from '../../_platform/idempotent-http-handler';
import { ValidationError } from '../../_platform/errors';
import { senderDeps } from '../adapters/deps';
import { recipientIdOfEmail } from '../domain/identity';
import type { MessageType } from '../domain/model';
import { sendNotification } from '../domain/send-notification';
import { sendMessageRoute } from '../routes';

const deps = senderDeps();

/** POST /v1/messages (operators): one message to one recipient, preferences applied (marketing needs opt-in). */
export const handler = idempotentHttpHandler(sendMessageRoute, async ({ body, headers }) => {
  const recipientId = body.recipient.recipientId ?? (body.recipient.email && recipientIdOfEmail(body.recipient.email));
  if (!recipientId) throw new ValidationError('a recipient needs recipientId or email', [{ path: 'body.recipient.recipientId', message: 'required without email' }]);
  const outcome = await sendNotification(deps, {
    source: `message:${headers[IDEMPOTENCY_KEY_HEADER]}`,
    type: body.type as MessageType,
    recipient: { ...body.recipient, recipientId },
    data: body.data,
  });
  return { status: 202, body: outcome };
});
