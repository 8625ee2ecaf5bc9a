import { httpHandler } from '../../_platform/http-handler';
import { templateDeps } from '../adapters/deps';
import type { MessageType } from '../domain/model';
import { previewTemplate } from '../domain/preview-template';
import { previewTemplateRoute } from '../routes';

const { templates } = templateDeps();

/** POST /v1/templates/{templateId}/preview. */
export const handler = httpHandler(previewTemplateRoute, async ({ params, body }) => ({
  status: 200,
  body: await previewTemplate(templates, { type: params.templateId as MessageType, language: body.language, role: body.role, data: body.data }),
}));
