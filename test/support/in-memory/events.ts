import type { DomainEvent, EventPublisher } from '../../../functions/_platform/events';

/** EventPublisher in memory: keeps what was published; `failure` makes publishing throw. */
export class InMemoryEventPublisher implements EventPublisher {
  readonly published: DomainEvent[] = [];
  failure: Error | undefined;

  async publish(event: DomainEvent): Promise<void> {
    if (this.failure) throw this.failure;
    this.published.push(structuredClone(event));
  }
}
