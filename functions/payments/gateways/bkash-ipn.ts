/**
 * bKash's IPN (webhook), pushed through Amazon SNS (payments.md §1 item 5, a [weak] fact: sources are a WooCommerce
 * plugin and a Go library, not bKash's own reference). The SNS envelope is verified by the platform's SNS
 * subscriber; this file reads the `Message` inside it and says whom to trust.
 */
import * as z from 'zod/mini';
import { UnverifiedError } from '../../_platform/errors';
import { fromMajorUnits } from '../../_platform/money';
import type { SnsTrust } from '../../_platform/sns-message';
import { parseJsonText, parseOrThrow } from '../../_platform/validation';
import type { PaymentNotification } from '../domain/accept-payment-webhook';
import { bkashConfig } from './bkash';

/**
 * The IPN `Message` (a JSON string): dateTime (YmdHis), debitMSISDN (the payer's wallet: personal data),
 * creditOrganizationName, creditShortCode, trxID, transactionStatus, transactionType, amount, currency,
 * transactionReference. [weak] Which field carries our invoice number is not documented: transactionReference is
 * assumed to be the merchantInvoiceNumber, which our adapter sets to our paymentId (bkash.ts createSession).
 */
const ipnMessage = z.object({
  transactionReference: z.optional(z.string()),
  trxID: z.optional(z.string()),
  transactionStatus: z.optional(z.string()),
  amount: z.optional(z.string()),
  currency: z.optional(z.string()),
  debitMSISDN: z.optional(z.string()),
});

/** A bKash IPN as the payments domain reads it, with the payer's wallet kept apart (mask it before logging). */
export interface BkashIpn {
  readonly notification: PaymentNotification;
  readonly transactionStatus?: string;
  readonly payer?: string;
}

/**
 * Reads the IPN `Message` of a verified SNS notification. ValidationError when it is not an IPN; UnverifiedError
 * when it names no payment (a transaction that did not come through our checkout carries no invoice of ours).
 */
export const parseBkashIpn = (message: string): BkashIpn => {
  const ipn = parseOrThrow(ipnMessage, parseJsonText(message, 'the bKash IPN message'), 'body');
  const { transactionReference, trxID, transactionStatus, amount, currency, debitMSISDN } = ipn;
  if (!transactionReference) throw new UnverifiedError('the bKash IPN names no payment of ours (no transactionReference)');
  return {
    notification: {
      gateway: 'bkash',
      paymentId: transactionReference,
      ...(amount !== undefined && { amount: fromMajorUnits(amount, currency ?? 'BDT') }),
      ...(trxID ? { transactionId: trxID } : {}),
    },
    ...(transactionStatus !== undefined && { transactionStatus }),
    ...(debitMSISDN !== undefined && { payer: debitMSISDN }),
  };
};

/** Whom bKash's IPNs are trusted from, as its secret says (AWS's SNS hosts always; see bkashConfig). */
export const bkashIpnTrust = (secret: unknown): SnsTrust => {
  const parsed = z.safeParse(bkashConfig, secret);
  if (!parsed.success) throw new Error('the bkash secret is incomplete or invalid: its IPN settings cannot be read');
  const { ipnTopicArn, ipnCertificateOrigin } = parsed.data;
  return { ...(ipnTopicArn !== undefined && { topicArn: ipnTopicArn }), ...(ipnCertificateOrigin !== undefined && { localOrigin: ipnCertificateOrigin }) };
};
