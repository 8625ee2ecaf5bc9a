import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { CapabilityProps } from './capability';
import { ServiceFunction } from './service-function';

export interface CheckoutProps extends CapabilityProps {
  /** The payment saga checkout starts for each payment attempt. */
  readonly paymentSaga: IStateMachine;
}

/** Gateways checkout can open a payment session at (their adapters are in functions/payments/gateways/). */
const PAYMENT_GATEWAYS = ['bkash', 'nagad'] as const;

/** The catalog, checkout and orders. */
export class Checkout extends Construct {
  readonly listProductsFn: ServiceFunction;
  readonly upsertProductFn: ServiceFunction;
  readonly createCheckoutFn: ServiceFunction;
  readonly retryPaymentFn: ServiceFunction;
  readonly getOrderFn: ServiceFunction;

  constructor(scope: Construct, id: string, props: CheckoutProps) {
    super(scope, id);
    const { config, data, api, paymentSaga } = props;
    this.listProductsFn = new ServiceFunction(this, 'ListProductsFn', {
      config, capability: 'checkout', handler: 'list-products',
      description: 'GET /v1/products: the catalog, by seller, paginated',
    }).bindTable('CATALOG_TABLE', data.tables.catalog, 'read');
    api.addRoute({ method: 'GET', path: '/products', handler: this.listProductsFn, auth: 'apiKey' });

    this.upsertProductFn = new ServiceFunction(this, 'UpsertProductFn', {
      config, capability: 'checkout', handler: 'upsert-product',
      description: 'PUT /v1/products/{sku} (operators, SigV4): creates or replaces a product, sets or changes its stock',
    }).bindTable('CATALOG_TABLE', data.tables.catalog, 'readWrite');
    api.addRoute({ method: 'PUT', path: '/products/{sku}', handler: this.upsertProductFn, auth: 'iam' });

    const stack = Stack.of(this);
    // Built from the API id, not api.url: the stage depends on every method, so api.url here would be a cycle.
    const publicApiUrl = `https://${api.api.restApiId}.execute-api.${stack.region}.${stack.urlSuffix}/v1`;
    /** A function that opens payment attempts: gateway sessions, the saga, the order, stock and idempotency records. */
    const paymentOpener = (fnId: string, handler: string, description: string) => {
      const fn = new ServiceFunction(this, fnId, {
        config, capability: 'checkout', handler, description,
        // A gateway's create call may take its heavy timeout (30 s) before the answer.
        timeout: Duration.seconds(29),
        environment: {
          PUBLIC_API_URL: publicApiUrl,
          PAYMENT_GATEWAYS: PAYMENT_GATEWAYS.join(','),
          PAYMENT_STATE_MACHINE_ARN: paymentSaga.stateMachineArn,
          PAYMENT_GATEWAY_SECRETS: stack.toJsonString(Object.fromEntries(PAYMENT_GATEWAYS.map((g) => [g, data.providerSecrets[g].secretArn]))),
        },
      })
        .bindTable('ORDERS_TABLE', data.tables.orders, 'readWrite')
        .bindTable('CATALOG_TABLE', data.tables.catalog, 'readWrite')
        .bindTable('IDEMPOTENCY_TABLE', data.tables.idempotency, 'readWrite')
        .bindTable('INTEGRATION_STATE_TABLE', data.tables.integrationState, 'readWrite')
        .bindTable('AUDIT_TABLE', data.tables.audit, 'readWrite')
        .bindTopicPublisher('EVENTS_TOPIC_ARN', data.eventsTopic);
      for (const gateway of PAYMENT_GATEWAYS) data.providerSecrets[gateway].grantRead(fn);
      paymentSaga.grantStartExecution(fn);
      // To tell a start that failed from one that happened (an ambiguous StartExecution): its executions, by name.
      fn.addToRolePolicy(new PolicyStatement({
        actions: ['states:DescribeExecution'],
        resources: [stack.formatArn({ service: 'states', resource: 'execution', resourceName: `${machineName}:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
      }));
      Validations.of(fn.serviceRole).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${JSON.stringify(stack.resolve(machineName))}:*]`,
        reason: 'DescribeExecution is granted on the payment saga\'s executions (<machine>:*), whose names are payment ids.',
      });
      return fn;
    };
    const machineName = stack.splitArn(paymentSaga.stateMachineArn, ArnFormat.COLON_RESOURCE_NAME).resourceName;
    this.createCheckoutFn = paymentOpener('CreateCheckoutFn', 'create-checkout', 'POST /v1/checkouts: prices from the catalog, stock reserved, payment session opened, saga started');
    api.addRoute({ method: 'POST', path: '/checkouts', handler: this.createCheckoutFn, auth: 'apiKey' });
    this.retryPaymentFn = paymentOpener('RetryPaymentFn', 'retry-payment', 'POST /v1/orders/{orderId}/payments: a new payment attempt after a failed one, stock reserved again');
    api.addRoute({ method: 'POST', path: '/orders/{orderId}/payments', handler: this.retryPaymentFn, auth: 'apiKey' });

    this.getOrderFn = new ServiceFunction(this, 'GetOrderFn', {
      config, capability: 'checkout', handler: 'get-order',
      description: 'GET /v1/orders/{orderId}: the order, its payments and timeline',
    }).bindTable('ORDERS_TABLE', data.tables.orders, 'read');
    api.addRoute({ method: 'GET', path: '/orders/{orderId}', handler: this.getOrderFn, auth: 'apiKey' });
  }
}
