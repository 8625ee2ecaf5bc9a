import type { Clock } from '../../_platform/clock';
import { addMoney, type Money, multiplyMoney } from '../../_platform/money';
import type { NotificationStore, OrderSummary, SalesLedger, SellerSales } from './ports';
import { type SendDeps, sendNotification } from './send-notification';

/**
 * Business days and weeks follow Dhaka time (UTC+6, no daylight saving), like the schedule that sends the summaries
 * (Monday 09:00 Dhaka). A Vietnamese seller's day (UTC+7) starts an hour earlier than the one counted here.
 */
const BUSINESS_UTC_OFFSET_MS = 6 * 3_600_000;
const DAY_MS = 86_400_000;

/** Paid-order counts congratulated, each once per seller. */
export const MILESTONES = [1, 10, 100, 1_000, 10_000] as const;

/** The business day (YYYY-MM-DD) of an instant. */
export const businessDayOf = (at: Date): string => new Date(at.getTime() + BUSINESS_UTC_OFFSET_MS).toISOString().slice(0, 10);

/** An ISO week (Monday to Sunday): its label (`2026-W09`) and its seven days. */
export interface BusinessWeek {
  week: string;
  days: string[];
}

const weekStartingOn = (mondayMs: number): BusinessWeek => {
  // The ISO year and number of a week are those of its Thursday.
  const thursday = new Date(mondayMs + 3 * DAY_MS);
  const number = Math.floor((thursday.getTime() - Date.UTC(thursday.getUTCFullYear(), 0, 1)) / DAY_MS / 7) + 1;
  return {
    week: `${thursday.getUTCFullYear()}-W${String(number).padStart(2, '0')}`,
    days: Array.from({ length: 7 }, (_, i) => new Date(mondayMs + i * DAY_MS).toISOString().slice(0, 10)),
  };
};

/** The whole business week before the one `now` falls in. */
export const previousWeek = (now: Date): BusinessWeek => {
  const local = new Date(now.getTime() + BUSINESS_UTC_OFFSET_MS);
  const today = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate());
  const daysSinceMonday = (local.getUTCDay() + 6) % 7;
  return weekStartingOn(today - (daysSinceMonday + 7) * DAY_MS);
};

/** The week of an ISO week label (`2026-W09`); week 1 is the one holding 4 January. */
export const weekOfLabel = (label: string): BusinessWeek => {
  const [, year, number] = /^(\d{4})-W(\d{2})$/.exec(label) ?? [];
  const january4 = Date.UTC(Number(year), 0, 4);
  const firstMonday = january4 - ((new Date(january4).getUTCDay() + 6) % 7) * DAY_MS;
  return weekStartingOn(firstMonday + (Number(number) - 1) * 7 * DAY_MS);
};

/** The ISO week label syntax `weekOfLabel` takes. */
export const WEEK_LABEL = /^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/;

/** Counts a paid order in each of its sellers' sales (their own items' value), on the day it was paid. */
export const recordSellerSales = async (ledger: SalesLedger, order: OrderSummary, paidAt: Date): Promise<void> => {
  const revenueBySeller = new Map<string, Money>();
  for (const item of order.items) {
    const line = multiplyMoney(item.unitPrice, item.quantity);
    const sofar = revenueBySeller.get(item.sellerId);
    revenueBySeller.set(item.sellerId, sofar ? addMoney(sofar, line) : line);
  }
  const day = businessDayOf(paidAt);
  for (const [sellerId, revenue] of revenueBySeller) await ledger.recordPaidOrder({ sellerId, orderId: order.orderId, day, revenue });
};

/** The milestones reached by `paidOrders` and not congratulated yet; only the highest of them is congratulated. */
export const milestonesDue = (paidOrders: number, congratulated: readonly number[]): number[] =>
  MILESTONES.filter((milestone) => milestone <= paidOrders && !congratulated.includes(milestone));

export interface WeeklySummaryDeps extends SendDeps {
  store: NotificationStore;
  sales: SalesLedger;
  clock: Clock;
}

export interface WeeklySummaryReport {
  week: string;
  sellers: number;
  summaries: number;
  milestones: number;
  /** Sellers whose summary or milestone could not be sent, and why; a new run sends them, and only them. */
  failed: Array<{ sellerId: string; reason: string }>;
}

/**
 * The scheduled job: every seller with paid orders in `week` (default: the last whole business week) gets their
 * orders and revenue for it, per currency, and a congratulation when their paid orders passed a milestone. Each
 * summary is one notification per seller, week and currency and each milestone one per seller and milestone, so a
 * run repeated (a retry, a catch-up run for a named week) sends nothing twice. Sellers without orders that week get
 * nothing: their summary would say nothing. Sellers with no contact on file are counted but not written to.
 */
export const sendWeeklySummaries = async (deps: WeeklySummaryDeps, request: { week?: string } = {}): Promise<WeeklySummaryReport> => {
  const { week, days } = request.week ? weekOfLabel(request.week) : previousWeek(deps.clock.now());
  const bySeller = new Map<string, SellerSales[]>();
  for (const sales of await deps.sales.salesOn(days)) bySeller.set(sales.sellerId, [...(bySeller.get(sales.sellerId) ?? []), sales]);

  const report: WeeklySummaryReport = { week, sellers: bySeller.size, summaries: 0, milestones: 0, failed: [] };
  for (const [sellerId, sales] of bySeller) {
    try {
      const seller = await deps.store.getContact(sellerId);
      for (const { orders, revenue } of sales) {
        if (!seller) continue;
        await sendNotification(deps, { source: `weekly-summary:${week}:${revenue.currency}`, type: 'seller_weekly_summary', recipient: seller, data: { week, orders, revenue } });
        report.summaries += 1;
      }
      const totals = await deps.sales.addWeek(sellerId, week, sales.reduce((n, s) => n + s.orders, 0));
      const due = milestonesDue(totals.paidOrders, totals.congratulated);
      if (due.length === 0) continue;
      const highest = due[due.length - 1];
      if (seller) {
        await sendNotification(deps, { source: `milestone:${highest}`, type: 'seller_milestone', recipient: seller, data: { count: highest, first: highest === 1 } });
        report.milestones += 1;
      }
      await deps.sales.markCongratulated(sellerId, due);
    } catch (error) {
      report.failed.push({ sellerId, reason: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    }
  }
  return report;
};
