import * as z from 'zod/mini';
import { defineRoute, errorEnvelopeSchema } from '../_platform/openapi';
import { CHANNELS, DELIVERY_STATUSES, LANGUAGES, MESSAGE_TYPE_IDS, ROLES } from './domain/model';

const recipientIdSchema = z.string().check(z.regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'not a recipient id'));
const languageSchema = z.enum(LANGUAGES);
const e164Schema = z.string().check(z.regex(/^\+[1-9]\d{6,14}$/, 'an E.164 phone number (+8801712345678)'));
const tokenSchema = z.string().check(z.regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'not a token'), z.maxLength(2048));
const dataSchema = z.record(z.string(), z.unknown());

const preferencesSchema = z.object({
  recipientId: z.string(),
  channels: z.object({ email: z.boolean(), sms: z.boolean(), zalo: z.boolean() }),
  marketing: z.boolean(),
  language: z.optional(languageSchema),
  updatedAt: z.string(),
});

export const updatePreferencesRoute = defineRoute({
  operationId: 'updatePreferences',
  method: 'PUT',
  path: '/recipients/{recipientId}/preferences',
  summary: 'Sets what a recipient allows: channels, marketing opt-in, language (a buyer\'s id is `rcp_` + the first 32 hex digits of SHA-256 of the lower-case e-mail address)',
  auth: 'apiKey',
  params: z.object({ recipientId: recipientIdSchema }),
  body: z.object({
    channels: z.optional(z.object({ email: z.optional(z.boolean()), sms: z.optional(z.boolean()), zalo: z.optional(z.boolean()) })),
    marketing: z.optional(z.boolean()),
    language: z.optional(languageSchema),
  }),
  responses: { 200: { description: 'The preferences now in force', schema: preferencesSchema } },
});

export const unsubscribePageRoute = defineRoute({
  operationId: 'showUnsubscribe',
  method: 'GET',
  path: '/unsubscribe/{token}',
  summary: 'The page behind an unsubscribe link: a button that confirms (a GET changes nothing: link scanners prefetch)',
  auth: 'none',
  params: z.object({ token: tokenSchema }),
  responses: { 200: { description: 'An HTML page' }, 401: { description: 'UNVERIFIED: not a link we signed', schema: errorEnvelopeSchema } },
});

export const unsubscribeRoute = defineRoute({
  operationId: 'unsubscribe',
  method: 'POST',
  path: '/unsubscribe/{token}',
  summary: 'RFC 8058 one-click unsubscribe (body `List-Unsubscribe=One-Click`): marketing off for the token\'s recipient, no login',
  auth: 'none',
  params: z.object({ token: tokenSchema }),
  responses: { 200: { description: 'Unsubscribed (an HTML confirmation)' }, 401: { description: 'UNVERIFIED: not a link we signed', schema: errorEnvelopeSchema } },
});

const renderedSchema = z.object({
  subject: z.optional(z.string()),
  text: z.string(),
  html: z.optional(z.string()),
  zns: z.optional(z.object({ templateId: z.string(), params: z.record(z.string(), z.string()) })),
});

export const previewTemplateRoute = defineRoute({
  operationId: 'previewTemplate',
  method: 'POST',
  path: '/templates/{templateId}/preview',
  summary: 'Renders a template (a message type) with the given data, or its sample data, for every channel it supports',
  auth: 'apiKey',
  params: z.object({ templateId: z.enum(MESSAGE_TYPE_IDS as [string, ...string[]]) }),
  body: z.object({ language: languageSchema, role: z.optional(z.enum(ROLES)), data: z.optional(dataSchema) }),
  responses: {
    200: {
      description: 'The rendered message per channel, with the template version used',
      schema: z.object({ templateId: z.string(), language: languageSchema, role: z.enum(ROLES), version: z.int(), channels: z.record(z.string(), renderedSchema) }),
    },
  },
});

export const putContactRoute = defineRoute({
  operationId: 'putSellerContact',
  method: 'PUT',
  path: '/sellers/{sellerId}/contact',
  summary: 'Sets a seller\'s contact for notifications (operators): e-mail, phone, language, messaging-platform user',
  auth: 'iam',
  params: z.object({ sellerId: recipientIdSchema }),
  body: z.object({
    name: z.string().check(z.minLength(1), z.maxLength(200)),
    email: z.optional(z.email()),
    phone: z.optional(e164Schema),
    appUserId: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
    language: languageSchema,
  }),
  responses: { 200: { description: 'The contact as stored' } },
});

const ACCOUNT_TYPES = ['account_verification', 'password_reset', 'new_device_login'] as const;

export const sendAccountMessageRoute = defineRoute({
  operationId: 'sendAccountMessage',
  method: 'POST',
  path: '/account-messages',
  summary: 'A storefront\'s auth system sends an account message: e-mail verification and password reset carry an expiring signed link (never a password or code); new-device login alerts',
  auth: 'apiKey',
  idempotent: true,
  body: z.object({
    type: z.enum(ACCOUNT_TYPES),
    userId: z.string().check(z.minLength(1), z.maxLength(128)),
    name: z.string().check(z.minLength(1), z.maxLength(200)),
    email: z.email(),
    phone: z.optional(e164Schema),
    language: z._default(languageSchema, 'en'),
    /** Where the link points (the storefront's page); the signed token is appended as `token`. */
    linkUrl: z.optional(z.url({ protocol: /^https?$/ })),
    device: z.optional(z.object({ name: z.string().check(z.maxLength(200)), location: z.string().check(z.maxLength(200)), at: z.string().check(z.maxLength(64)) })),
  }),
  responses: {
    202: {
      description: 'Accepted: the message went out (or is on its way) on the first channel that took it',
      schema: z.object({ notificationId: z.string(), messageId: z.optional(z.string()), channel: z.optional(z.enum(CHANNELS)), status: z.optional(z.enum(DELIVERY_STATUSES)), linkExpiresAt: z.optional(z.string()) }),
    },
  },
});

export const verifyAccountLinkRoute = defineRoute({
  operationId: 'verifyAccountLink',
  method: 'POST',
  path: '/account-links/verify',
  summary: 'Checks a token from a verification or password-reset link: who it is for, for what, until when',
  auth: 'apiKey',
  body: z.object({ token: tokenSchema, purpose: z.enum(['account_verification', 'password_reset']) }),
  responses: {
    200: { description: 'The link is ours, for this purpose, and not expired', schema: z.object({ userId: z.string(), purpose: z.string(), expiresAt: z.string() }) },
    401: { description: 'UNVERIFIED: not a link we signed for this purpose', schema: errorEnvelopeSchema },
    422: { description: 'LINK_EXPIRED', schema: errorEnvelopeSchema },
  },
});

export const sendMessageRoute = defineRoute({
  operationId: 'sendMessage',
  method: 'POST',
  path: '/messages',
  summary: 'Sends one message of a type to one recipient (operators: announcements, promotions); preferences apply',
  auth: 'iam',
  idempotent: true,
  body: z.object({
    type: z.enum(MESSAGE_TYPE_IDS as [string, ...string[]]),
    recipient: z.object({
      recipientId: z.optional(recipientIdSchema),
      role: z.enum(ROLES),
      name: z.optional(z.string().check(z.maxLength(200))),
      email: z.optional(z.email()),
      phone: z.optional(e164Schema),
      appUserId: z.optional(z.string().check(z.maxLength(128))),
      language: languageSchema,
    }),
    data: z._default(dataSchema, {}),
  }),
  responses: { 202: { description: 'Accepted; see the message records' } },
});

export const getMessageRoute = defineRoute({
  operationId: 'getMessage',
  method: 'GET',
  path: '/messages/{messageId}',
  summary: 'A message\'s record: status, history of receipts, providers tried (operators)',
  auth: 'iam',
  params: z.object({ messageId: z.string().check(z.regex(/^msg_[0-9a-f]{26}$/, 'not a message id')) }),
  responses: { 200: { description: 'The record' }, 404: { description: 'NOT_FOUND', schema: errorEnvelopeSchema } },
});

/** Providers that call us back, each on its own static resource (/webhooks/<provider>). */
export const RECEIPT_WEBHOOKS = [
  { provider: 'twilio', method: 'POST' },
  { provider: 'esms', method: 'GET' },
  { provider: 'zalo', method: 'POST' },
  { provider: 'hifpt', method: 'POST' },
] as const;

export const deliveryReceiptRoutes = RECEIPT_WEBHOOKS.map(({ provider, method }) =>
  defineRoute({
    operationId: `receive${provider[0].toUpperCase()}${provider.slice(1)}Receipt`,
    method,
    path: `/webhooks/${provider}`,
    summary: `${provider} delivery receipts, verified before anything changes`,
    auth: 'none',
    responses: { 200: { description: 'Taken (a duplicate changes nothing)' }, 401: { description: 'UNVERIFIED: signature or token wrong; nothing changed', schema: errorEnvelopeSchema } },
  }),
);

/** Every route of the notifications capability. */
export const notificationsRoutes = [
  updatePreferencesRoute, unsubscribePageRoute, unsubscribeRoute, previewTemplateRoute, putContactRoute, sendAccountMessageRoute,
  verifyAccountLinkRoute, sendMessageRoute, getMessageRoute, ...deliveryReceiptRoutes,
];
