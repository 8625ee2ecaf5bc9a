import Handlebars from 'handlebars';
import { maskPii } from '../../_platform/pii';
import { type Money, toMajorUnits } from '../../_platform/money';
import { ValidationError } from '../../_platform/errors';
import { DEFAULT_TEMPLATES, type TemplateText } from '../templates/defaults';
import type { Channel, Language, MessageType, Role } from './model';
import type { StoredTemplate, TemplateStore } from './ports';

/** A message rendered for one channel. */
export interface RenderedMessage {
  readonly channel: Channel;
  readonly templateVersion: number;
  readonly subject?: string;
  readonly text: string;
  readonly html?: string;
  readonly zns?: { readonly templateId: string; readonly params: Readonly<Record<string, string>> };
}

/**
 * Handlebars with escaping on (HTML output escapes every `{{value}}`; only text output, never parsed as HTML, turns
 * it off), its own helpers and no prototype access (Handlebars' default since 4.6).
 */
const engine = Handlebars.create();
const isMoney = (value: unknown): value is Money =>
  typeof value === 'object' && value !== null && typeof (value as Money).value === 'number' && typeof (value as Money).currency === 'string';
engine.registerHelper('money', (value: unknown) => (isMoney(value) ? `${toMajorUnits(value)} ${value.currency}` : ''));
engine.registerHelper('mask', (value: unknown) => (typeof value === 'string' ? maskPii(value) : ''));

type Compiled = (data: unknown) => string;
const compiled = new Map<string, Compiled>();
const compile = (source: string, escape: boolean): Compiled => {
  const key = `${escape ? 'h' : 't'}:${source}`;
  let template = compiled.get(key);
  if (!template) {
    const built = engine.compile(source, { noEscape: !escape, strict: false });
    template = (data) => built(data);
    compiled.set(key, template);
  }
  return template;
};

const render = (source: string, data: unknown, escape: boolean): string => {
  try {
    return compile(source, escape)(data);
  } catch (cause) {
    throw new ValidationError('the template cannot be rendered', [{ path: 'template', message: (cause as Error).message }], { cause });
  }
};

/** A header value: one line, so a value cannot add a header (e-mail header injection). */
const oneLine = (text: string): string => text.replace(/[\r\n]+/g, ' ').trim();

const paragraphsToHtml = (escapedText: string): string =>
  escapedText
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${paragraph.replace(/\n/g, '<br>')}</p>`)
    .join('\n');

/** The HTML frame of every e-mail; `content` is already escaped. */
export const htmlLayout = (content: string, language: Language): string =>
  `<!doctype html><html lang="${language}"><head><meta charset="utf-8"></head>` +
  `<body style="font-family:sans-serif;line-height:1.5;max-width:600px">${content}</body></html>`;

/** Derived values every template may use besides the trigger's data. */
const withDerived = (data: Readonly<Record<string, unknown>>): Record<string, unknown> => ({
  ...data,
  ...(isMoney(data.amount) && { amountText: `${toMajorUnits(data.amount)} ${data.amount.currency}` }),
});

export interface TemplateKey {
  type: MessageType;
  role: Role;
  language: Language;
  channel: Channel;
}

interface ResolvedTemplate {
  version: number;
  text: TemplateText;
  zns?: { templateId: string; params: readonly string[] };
}

/** The stored template when it is newer than the repository's default of the same key, else the default. */
export const resolveTemplate = async (store: TemplateStore, key: TemplateKey): Promise<ResolvedTemplate> => {
  const fallback = DEFAULT_TEMPLATES[key.type];
  const defaults: ResolvedTemplate = { version: fallback.version, text: fallback.text[key.language], zns: fallback.zns };
  const stored: StoredTemplate | undefined = await store.find(key);
  if (!stored || stored.version <= fallback.version) return defaults;
  const short = key.channel === 'sms' || key.channel === 'inapp' ? stored.body : defaults.text.short;
  return {
    version: stored.version,
    text: { subject: stored.subject ?? defaults.text.subject, body: key.channel === 'email' ? stored.body : defaults.text.body, short },
    zns: stored.znsTemplateId && fallback.zns ? { templateId: stored.znsTemplateId, params: fallback.zns.params } : defaults.zns,
  };
};

/**
 * Renders a message of `key.type` for one channel: e-mail gets a subject, a text part and an HTML part (values
 * escaped), SMS and in-app the short text, Zalo its ZNS template parameters. Throws ValidationError when a template
 * cannot be rendered, or when Zalo is asked for a type without a ZNS template.
 */
export const renderMessage = async (
  store: TemplateStore,
  key: TemplateKey,
  data: Readonly<Record<string, unknown>>,
): Promise<RenderedMessage> => {
  const template = await resolveTemplate(store, key);
  const values = withDerived(data);
  const subject = oneLine(render(template.text.subject, values, false));
  switch (key.channel) {
    case 'email':
      return {
        channel: 'email',
        templateVersion: template.version,
        subject,
        text: render(template.text.body, values, false),
        html: htmlLayout(paragraphsToHtml(render(template.text.body, values, true)), key.language),
      };
    case 'zalo': {
      if (!template.zns) throw new ValidationError(`${key.type} has no Zalo ZNS template`, [{ path: 'channel', message: 'no ZNS template' }]);
      const params = Object.fromEntries(template.zns.params.map((name) => [name, String(values[name] ?? '')]));
      return { channel: 'zalo', templateVersion: template.version, subject, text: render(template.text.short, values, false), zns: { templateId: template.zns.templateId, params } };
    }
    default:
      return { channel: key.channel, templateVersion: template.version, subject, text: render(template.text.short, values, false) };
  }
};

/** Whether a type can go out on a channel at all (Zalo only with an approved ZNS template). */
export const typeSupports = (type: MessageType, channel: Channel): boolean => channel !== 'zalo' || DEFAULT_TEMPLATES[type].zns !== undefined;
