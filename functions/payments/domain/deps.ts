import type { Clock } from '../../_platform/clock';
import type { PaymentAttemptRepository } from './ports';

/** What the saga's use cases need. */
export interface PaymentSagaDeps {
  attempts: PaymentAttemptRepository;
  clock: Clock;
}
