import type { EnvironmentConfig } from '../config/environments';
import type { StatefulStack } from '../stacks/stateful-stack';
import type { CommerceApi } from './api';

/** What every capability construct receives from the service stack. */
export interface CapabilityProps {
  readonly config: EnvironmentConfig;
  readonly api: CommerceApi;
  /** Tables, topic, queues and secrets of the stateful stack. */
  readonly data: Pick<StatefulStack, 'tables' | 'eventsTopic' | 'shippingEvents' | 'notificationEvents' | 'providerSecrets' | 'notificationSigningKey'>;
}
