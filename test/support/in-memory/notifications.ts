import { ConcurrentUpdateError, ProviderIndeterminateError, ProviderRetryableError } from '../../../functions/_platform/errors';
import { RecipientRejectedError } from '../../../functions/notifications/domain/errors';
import type { Channel, MessageRecord, Preferences, Recipient, Suppression } from '../../../functions/notifications/domain/model';
import type {
  ChannelRegistry, Claim, MessageChannel, MessagingProviderId, NotificationStore, OutboundMessage, SalesLedger, SellerSales, SellerTotals,
  TemplateStore, TokenSigner,
} from '../../../functions/notifications/domain/ports';
import type { Money } from '../../../functions/_platform/money';

const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** NotificationStore in memory, with the DynamoDB adapter's conditions (claim once unless retryable; versioned saves). */
export class InMemoryNotificationStore implements NotificationStore {
  readonly messages = new Map<string, MessageRecord>();
  readonly preferences = new Map<string, Preferences>();
  readonly contacts = new Map<string, Recipient>();
  readonly suppressions = new Map<string, Suppression>();

  async claimMessage(record: MessageRecord): Promise<Claim> {
    const stored = this.messages.get(record.messageId);
    if (stored && !stored.retryable) return { claimed: false, record: copy(stored) };
    const claimed: MessageRecord = stored
      ? { ...record, retryable: undefined, attempts: [...stored.attempts, ...record.attempts], history: [...stored.history, ...record.history], createdAt: stored.createdAt, version: stored.version + 1 }
      : record;
    this.messages.set(record.messageId, copy(claimed));
    return { claimed: true, record: copy(claimed) };
  }
  async saveMessage(record: MessageRecord) {
    if ((this.messages.get(record.messageId)?.version ?? 0) !== record.version - 1) throw new ConcurrentUpdateError(`message ${record.messageId} changed`);
    this.messages.set(record.messageId, copy(record));
  }
  async getMessage(messageId: string) {
    const found = this.messages.get(messageId);
    return found && copy(found);
  }
  async findByProviderMessageId(provider: string, providerMessageId: string) {
    return [...this.messages.values()].find((m) => m.provider === provider && m.providerMessageId === providerMessageId);
  }
  async getPreferences(recipientId: string) {
    return this.preferences.get(recipientId);
  }
  async putPreferences(preferences: Preferences) {
    this.preferences.set(preferences.recipientId, copy(preferences));
  }
  async getContact(recipientId: string) {
    return this.contacts.get(recipientId);
  }
  async putContact(contact: Recipient) {
    this.contacts.set(contact.recipientId, copy(contact));
  }
  async getSuppression(addressHash: string) {
    return this.suppressions.get(addressHash);
  }
  async putSuppression(suppression: Suppression) {
    this.suppressions.set(suppression.addressHash, copy(suppression));
  }
}

export const noStoredTemplates: TemplateStore = { find: async () => undefined };

/** A provider that records what it sent and behaves as told: accept, be down, refuse the number, or time out after sending. */
export class FakeProvider implements MessageChannel {
  readonly sent: OutboundMessage[] = [];
  behaviour: 'accept' | 'down' | 'reject-recipient' | 'indeterminate' = 'accept';

  constructor(readonly provider: MessagingProviderId, readonly channel: Channel) {}

  async send(message: OutboundMessage) {
    if (this.behaviour === 'down') throw new ProviderRetryableError(this.provider, `${this.provider} is down`);
    if (this.behaviour === 'reject-recipient') throw new RecipientRejectedError(this.provider, 'invalid_address', 'invalid number');
    this.sent.push(message);
    if (this.behaviour === 'indeterminate') throw new ProviderIndeterminateError(this.provider, 'timed out after sending');
    return { providerMessageId: `${this.provider}-${this.sent.length}`, status: 'queued' as const };
  }
}

/** A registry over fake providers: one chain per channel. */
export const fakeRegistry = (chains: Partial<Record<Channel, FakeProvider[]>>): ChannelRegistry => ({
  chain: (channel) => chains[channel] ?? [],
  receipts: () => {
    throw new Error('no receipts in this fake');
  },
});

/** A signer whose tokens are readable (`signed:<json>`); tests of the real one are in token-signer tests. */
export const fakeSigner: TokenSigner = {
  sign: async (payload) => `signed.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`,
  verify: async (token) => (token.startsWith('signed.') ? JSON.parse(Buffer.from(token.slice(7), 'base64url').toString()) : undefined),
};

/** SalesLedger in memory, with the DynamoDB adapter's rules (an order counted once per seller; a week added once). */
export class InMemorySalesLedger implements SalesLedger {
  readonly days = new Map<string, { sellerId: string; day: string; orders: number; revenue: Money; orderIds: Set<string> }>();
  readonly totals = new Map<string, { paidOrders: number; weeks: Set<string>; congratulated: Set<number> }>();

  async recordPaidOrder({ sellerId, orderId, day, revenue }: { sellerId: string; orderId: string; day: string; revenue: Money }) {
    const key = `${sellerId}#${day}#${revenue.currency}`;
    const item = this.days.get(key) ?? { sellerId, day, orders: 0, revenue: { value: 0, currency: revenue.currency }, orderIds: new Set<string>() };
    if (item.orderIds.has(orderId)) return;
    item.orderIds.add(orderId);
    this.days.set(key, { ...item, orders: item.orders + 1, revenue: { ...item.revenue, value: item.revenue.value + revenue.value } });
  }
  async salesOn(days: readonly string[]): Promise<SellerSales[]> {
    const sums = new Map<string, SellerSales>();
    for (const item of this.days.values()) {
      if (!days.includes(item.day)) continue;
      const key = `${item.sellerId}#${item.revenue.currency}`;
      const sofar = sums.get(key) ?? { sellerId: item.sellerId, orders: 0, revenue: { value: 0, currency: item.revenue.currency } };
      sums.set(key, { ...sofar, orders: sofar.orders + item.orders, revenue: { ...sofar.revenue, value: sofar.revenue.value + item.revenue.value } });
    }
    return [...sums.values()];
  }
  async addWeek(sellerId: string, week: string, orders: number): Promise<SellerTotals> {
    const totals = this.totals.get(sellerId) ?? { paidOrders: 0, weeks: new Set<string>(), congratulated: new Set<number>() };
    if (!totals.weeks.has(week)) {
      totals.weeks.add(week);
      totals.paidOrders += orders;
    }
    this.totals.set(sellerId, totals);
    return { paidOrders: totals.paidOrders, congratulated: [...totals.congratulated].sort((a, b) => a - b) };
  }
  async markCongratulated(sellerId: string, milestones: readonly number[]) {
    for (const milestone of milestones) this.totals.get(sellerId)?.congratulated.add(milestone);
  }
}
