import type { PaymentSagaInput, PaymentSagaStarter } from '../../../functions/checkout/domain/ports';

/** PaymentSagaStarter in memory: records each start, one per name, like Step Functions executions. */
export class InMemorySagaStarter implements PaymentSagaStarter {
  readonly started = new Map<string, PaymentSagaInput>();
  /** An error to throw instead of starting. */
  failure: Error | undefined;
  /** Runs at the start of each call; a test uses it to look at the world as the saga starts. */
  beforeStart: (input: PaymentSagaInput) => void = () => undefined;

  async start(input: PaymentSagaInput): Promise<void> {
    this.beforeStart(input);
    if (this.failure) throw this.failure;
    if (!this.started.has(input.paymentId)) this.started.set(input.paymentId, structuredClone(input));
  }
}
