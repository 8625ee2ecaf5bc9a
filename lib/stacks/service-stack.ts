import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/environments';
import { CommerceApi } from '../constructs/api';
import type { CapabilityProps } from '../constructs/capability';
import { Checkout } from '../constructs/checkout';
import { Notifications } from '../constructs/notifications';
import { Observability } from '../constructs/observability';
import { Operations } from '../constructs/operations';
import { Payments } from '../constructs/payments';
import { Shipping } from '../constructs/shipping';
import type { StatefulStack } from './stateful-stack';

export interface ServiceStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  readonly data: CapabilityProps['data'];
}

/** The API, the functions of every capability, the payment saga and the dashboard. Holds no data. */
export class ServiceStack extends Stack {
  readonly api: CommerceApi;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    const { config, data } = props;
    this.api = new CommerceApi(this, 'Api', { config });
    const capability: CapabilityProps = { config, data, api: this.api };

    const operations = new Operations(this, 'Operations', capability);
    const payments = new Payments(this, 'Payments', capability);
    const checkout = new Checkout(this, 'Checkout', { ...capability, paymentSaga: payments.stateMachine });
    const shipping = new Shipping(this, 'Shipping', capability);
    const notifications = new Notifications(this, 'Notifications', capability);

    new Observability(this, 'Observability', {
      config,
      api: this.api.api,
      functions: {
        GetHealth: operations.healthFn,
        GetOpenApi: operations.openApiFn,
        GetIntegrationHealth: operations.integrationHealthFn,
        ListProducts: checkout.listProductsFn,
        UpsertProduct: checkout.upsertProductFn,
        CreateCheckout: checkout.createCheckoutFn,
        GetOrder: checkout.getOrderFn,
        AwaitPaymentResult: payments.awaitResultFn,
        QueryGatewayAfterTimeout: payments.queryAfterTimeoutFn,
        CapturePayment: payments.captureFn,
        ConfirmPayment: payments.confirmFn,
        CompensatePayment: payments.compensateFn,
        PaymentReturn: payments.paymentReturnFn,
        ShippingEventsConsumer: shipping.eventsConsumer.fn,
        NotificationEventsConsumer: notifications.eventsConsumer.fn,
      },
      queues: { Shipping: data.shippingEvents, Notifications: data.notificationEvents },
      paymentSaga: payments.stateMachine,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.api.url, description: 'Base URL of the storefront API (ends in /v1/)' });
    new CfnOutput(this, 'PaymentSagaArn', { value: payments.stateMachine.stateMachineArn });
  }
}

export type { StatefulStack };
