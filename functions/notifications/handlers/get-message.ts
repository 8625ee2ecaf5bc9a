import { NotFoundError } from '../../_platform/errors';
import { httpHandler } from '../../_platform/http-handler';
import { contactDeps } from '../adapters/deps';
import { getMessageRoute } from '../routes';

const { store } = contactDeps();

/** GET /v1/messages/{messageId} (operators): status, receipts and providers tried. */
export const handler = httpHandler(getMessageRoute, async ({ params }) => {
  const record = await store.getMessage(params.messageId);
  if (!record) throw new NotFoundError(`no message ${params.messageId}`);
  return { status: 200, body: record };
});
