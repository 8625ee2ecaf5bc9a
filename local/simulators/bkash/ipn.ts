/**
 * bKash's IPN as the simulator sends it: through an SNS-style HTTP(S) subscription (payments.md §1 item 5, a [weak]
 * fact). A merchant endpoint is subscribed, confirms by GETting the SubscribeURL, and from then on receives a
 * signed Notification per completed payment. Signed like SNS (SignatureVersion 1, RSA-SHA1 over the canonical
 * string) with a local key; the certificate is served by the simulator, so the merchant must trust the simulator's
 * origin (the bKash secret's `ipnCertificateOrigin`), never a real one.
 *
 * [weak] choices made here: transactionReference carries the merchantInvoiceNumber (unconfirmed; note that the
 * search-transaction answer in model.ts puts the payerReference there); transactionType is a guess; a failed
 * delivery is not retried (SNS would retry a few times).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { SnsMessage } from '../../../functions/_platform/sns-message';
import { createSnsSigner, type SnsSigner, type UnsignedSnsMessage } from '../sns-signer';
import { BUYER_WALLET, type SimulatedPayment } from './model';

/** The topic the simulated bKash publishes IPNs on (its secret's `ipnTopicArn`). */
export const IPN_TOPIC_ARN = 'arn:aws:sns:ap-southeast-1:000000000000:bkash-ipn-simulator';
export const CERTIFICATE_PATH = '/__sns/SimpleNotificationService-simulator.pem';
export const CONFIRM_PATH = '/__sns/confirm';
const CREDIT_SHORT_CODE = '50022';
/** SNS gives an HTTP endpoint 15 s to answer [doc: SNS delivery policy]. */
const DELIVERY_TIMEOUT_MS = 15_000;

/** Fields a test may override to send an IPN that contradicts the payment (signed correctly all the same). */
export interface IpnOverrides {
  readonly amount?: string;
  readonly transactionReference?: string;
  readonly trxID?: string;
}

/** One delivery attempt, as `GET /__control/state` lists them. */
export interface IpnDelivery {
  readonly messageId: string;
  readonly type: SnsMessage['Type'];
  readonly paymentID?: string;
  readonly forged: boolean;
  /** The merchant's HTTP status, or 0 when it could not be reached. */
  readonly status: number;
  readonly body: string;
}

/** `YmdHis` in Dhaka time (UTC+6), the IPN's dateTime format. */
const dhakaYmdHis = (epochMs: number): string => new Date(epochMs + 6 * 3600_000).toISOString().slice(0, 19).replace(/[-:T]/g, '');

export class BkashIpnEmitter {
  private signer: SnsSigner | undefined;
  private subscription: { endpoint: string; token: string; confirmed: boolean } | undefined;
  private readonly deliveries: IpnDelivery[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();

  /** `origin` is the simulator's own URL (where the certificate and the subscribe URL are served). */
  constructor(private readonly origin: () => string, private readonly merchantName: string) {}

  /** The signing certificate (the key is made on first use: about 100 ms). */
  get certificatePem(): string {
    return this.keys().certificatePem;
  }

  /** Subscribes `endpoint` and sends it the SubscriptionConfirmation; resolves once the merchant answered it. */
  async subscribe(endpoint: string): Promise<{ status: number; confirmed: boolean }> {
    const token = randomBytes(32).toString('hex');
    this.subscription = { endpoint, token, confirmed: false };
    const subscribeUrl = new URL(CONFIRM_PATH, this.origin());
    subscribeUrl.searchParams.set('Action', 'ConfirmSubscription');
    subscribeUrl.searchParams.set('TopicArn', IPN_TOPIC_ARN);
    subscribeUrl.searchParams.set('Token', token);
    const delivery = await this.deliver(endpoint, {
      Type: 'SubscriptionConfirmation',
      MessageId: randomUUID(),
      Token: token,
      TopicArn: IPN_TOPIC_ARN,
      Message: `You have chosen to subscribe to the topic ${IPN_TOPIC_ARN}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
      SubscribeURL: subscribeUrl.toString(),
      Timestamp: new Date().toISOString(),
    });
    return { status: delivery.status, confirmed: this.subscription.confirmed };
  }

  /** The merchant GETs the SubscribeURL: true when the token is the pending subscription's. */
  confirm(token: string | null): boolean {
    if (!this.subscription || token !== this.subscription.token) return false;
    this.subscription.confirmed = true;
    return true;
  }

  /**
   * Sends the IPN of `payment` as it stands, `copies` times with the same MessageId (an SNS redelivery), to the
   * confirmed subscriber; undefined when there is none (SNS sends nothing to an unconfirmed endpoint). `forge`
   * breaks the signature; `overrides` change fields and are signed correctly.
   */
  async notify(payment: SimulatedPayment, options: { copies?: number; forge?: boolean; overrides?: IpnOverrides } = {}): Promise<IpnDelivery[] | undefined> {
    const endpoint = this.subscription?.confirmed ? this.subscription.endpoint : undefined;
    if (!endpoint) return undefined;
    const message: UnsignedSnsMessage = {
      Type: 'Notification',
      MessageId: randomUUID(),
      TopicArn: IPN_TOPIC_ARN,
      Message: JSON.stringify({
        dateTime: dhakaYmdHis(payment.executedAt ?? Date.now()),
        debitMSISDN: BUYER_WALLET,
        creditOrganizationName: this.merchantName,
        creditShortCode: CREDIT_SHORT_CODE,
        ...(payment.trxID ? { trxID: payment.trxID } : {}),
        transactionStatus: payment.transactionStatus,
        transactionType: 'bKash Tokenized Checkout via API',
        amount: payment.amount,
        currency: 'BDT',
        transactionReference: payment.merchantInvoiceNumber,
        ...options.overrides,
      }),
      Timestamp: new Date().toISOString(),
    };
    const sent: IpnDelivery[] = [];
    for (let copy = 0; copy < (options.copies ?? 1); copy += 1) sent.push(await this.deliver(endpoint, message, payment.paymentID, options.forge ?? false));
    return sent;
  }

  /** Sends without waiting (after an execute); `settled` waits for every such delivery. */
  notifyLater(payment: SimulatedPayment, copies: number): void {
    const delivery = this.notify(payment, { copies }).catch(() => undefined);
    this.inFlight.add(delivery);
    void delivery.finally(() => this.inFlight.delete(delivery));
  }

  async settled(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }

  /** Forgets the deliveries; the subscription stays (the local runtime made it, not the test that resets). */
  reset(): void {
    this.deliveries.length = 0;
  }

  snapshot() {
    return {
      subscription: this.subscription ? { endpoint: this.subscription.endpoint, confirmed: this.subscription.confirmed } : null,
      topicArn: IPN_TOPIC_ARN,
      deliveries: [...this.deliveries],
    };
  }

  private keys(): SnsSigner {
    this.signer ??= createSnsSigner('sns.bkash-simulator.local');
    return this.signer;
  }

  private async deliver(endpoint: string, unsigned: UnsignedSnsMessage, paymentID?: string, forge = false): Promise<IpnDelivery> {
    const signed = this.keys().sign(unsigned, new URL(CERTIFICATE_PATH, this.origin()).toString());
    // A forgery: the same message with one byte of its signature changed.
    const body = forge ? { ...signed, Signature: `${signed.Signature.startsWith('A') ? 'B' : 'A'}${signed.Signature.slice(1)}` } : signed;
    let status = 0;
    let answer = '';
    try {
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'text/plain; charset=UTF-8',
          'user-agent': 'Amazon Simple Notification Service Agent',
          'x-amz-sns-message-type': unsigned.Type,
          'x-amz-sns-message-id': unsigned.MessageId,
          'x-amz-sns-topic-arn': unsigned.TopicArn,
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      });
      status = response.status;
      answer = await response.text();
    } catch (error) {
      answer = error instanceof Error ? error.message : String(error);
    }
    const delivery: IpnDelivery = { messageId: unsigned.MessageId, type: unsigned.Type, ...(paymentID ? { paymentID } : {}), forged: forge, status, body: answer };
    this.deliveries.push(delivery);
    return delivery;
  }
}
