import { DEFAULT_TEMPLATES } from '../templates/defaults';
import { CHANNELS, type Language, type MessageType, type Role } from './model';
import type { TemplateStore } from './ports';
import { renderMessage, type RenderedMessage, typeSupports } from './render';

/** A template rendered for every channel its type can use, with the given data or else its sample data. */
export const previewTemplate = async (
  templates: TemplateStore,
  request: { type: MessageType; language: Language; role?: Role; data?: Readonly<Record<string, unknown>> },
) => {
  const fallback = DEFAULT_TEMPLATES[request.type];
  const role = request.role ?? fallback.role;
  const data = request.data ?? fallback.sample;
  const rendered: Array<[string, RenderedMessage]> = [];
  for (const channel of CHANNELS.filter((each) => typeSupports(request.type, each))) {
    rendered.push([channel, await renderMessage(templates, { type: request.type, role, language: request.language, channel }, data)]);
  }
  const version = Math.max(...rendered.map(([, message]) => message.templateVersion));
  const channels = Object.fromEntries(rendered.map(([channel, { subject, text, html, zns }]) => [channel, { subject, text, html, zns }]));
  return { templateId: request.type, language: request.language, role, version, channels };
};
