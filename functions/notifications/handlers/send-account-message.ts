import { IDEMPOTENCY_KEY_HEADER, idempotentHttpHandler } from '../../_platform/idempotent-http-handler';
import { senderDeps } from '../adapters/deps';
import { sendAccountMessage } from '../domain/account-messages';
import { sendAccountMessageRoute } from '../routes';

const deps = senderDeps();

/** POST /v1/account-messages: verification, password reset (signed, expiring links) and new-device alerts. */
export const handler = idempotentHttpHandler(sendAccountMessageRoute, async ({ body, headers }) => {
  const outcome = await sendAccountMessage(deps, { ...body, source: `account:${headers[IDEMPOTENCY_KEY_HEADER]}` });
  return {
    status: 202,
    body: {
      notificationId: outcome.notificationId,
      ...(outcome.sent && { messageId: outcome.sent.messageId, channel: outcome.sent.channel, status: outcome.sent.status }),
      ...(outcome.linkExpiresAt && { linkExpiresAt: outcome.linkExpiresAt }),
    },
  };
});
