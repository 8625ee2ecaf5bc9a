import { httpHandler } from '../../_platform/http-handler';
import { preferencesDeps } from '../adapters/deps';
import { verifyAccountLink } from '../domain/account-links';
import { verifyAccountLinkRoute } from '../routes';

const deps = preferencesDeps();

/** POST /v1/account-links/verify: whether a verification or reset link's token is ours and still valid. */
export const handler = httpHandler(verifyAccountLinkRoute, async ({ body }) => ({
  status: 200,
  body: await verifyAccountLink(deps, body.token, body.purpose),
}));
