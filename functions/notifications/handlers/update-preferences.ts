import { httpHandler } from '../../_platform/http-handler';
import { preferencesDeps } from '../adapters/deps';
import { updatePreferences } from '../domain/preferences';
import { updatePreferencesRoute } from '../routes';

const deps = preferencesDeps();

/** PUT /v1/recipients/{recipientId}/preferences. */
export const handler = httpHandler(updatePreferencesRoute, async ({ params, body }) => ({
  status: 200,
  body: await updatePreferences(deps, params.recipientId, body),
}));
