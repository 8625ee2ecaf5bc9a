import { httpHandler } from '../../_platform/http-handler';
import { contactDeps } from '../adapters/deps';
import { putContactRoute } from '../routes';

const { store } = contactDeps();

/** PUT /v1/sellers/{sellerId}/contact (operators): the seller directory notifications read. */
export const handler = httpHandler(putContactRoute, async ({ params, body }) => {
  const contact = { recipientId: params.sellerId, role: 'seller' as const, ...body };
  await store.putContact(contact);
  return { status: 200, body: contact };
});
