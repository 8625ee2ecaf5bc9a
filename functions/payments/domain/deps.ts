import type { Clock } from '../../_platform/clock';
import type { EventPublisher } from '../../_platform/events';
import type { OrderRepository, StockLedger } from '../../checkout/domain/ports';
import type { PaymentAttemptRepository, PaymentGateway, PaymentResolutions, SagaCallback } from './ports';

/** The gateways this deployment has enabled, by id (`bkash`, `nagad`). */
export interface GatewayLookup {
  get(gateway: string): PaymentGateway | undefined;
}

/** What the saga's use cases and the buyer's return need; each use case takes the part it uses. */
export interface PaymentSagaDeps {
  attempts: PaymentAttemptRepository;
  resolutions: PaymentResolutions;
  saga: SagaCallback;
  orders: OrderRepository;
  stock: StockLedger;
  gateways: GatewayLookup;
  events: EventPublisher;
  clock: Clock;
}

/** The enabled gateway `id`; throws when this deployment does not have it (a configuration error, not a retry). */
export const gatewayOf = (gateways: GatewayLookup, id: string): PaymentGateway => {
  const gateway = gateways.get(id);
  if (!gateway) throw new Error(`the ${id} gateway is not enabled here (PAYMENT_GATEWAYS)`);
  return gateway;
};
