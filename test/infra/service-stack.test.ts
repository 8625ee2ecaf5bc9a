import { Match } from 'aws-cdk-lib/assertions';
import { synthEnvironment } from '../support/synth';

const dev = synthEnvironment('dev');
const prod = synthEnvironment('prod');
const functions = Object.entries(dev.service.findResources('AWS::Lambda::Function'));

/** Definition with CDK's Fn::Join flattened: the partition becomes `aws`, a function ARN a placeholder ARN. */
const stateMachineDefinition = (): { StartAt: string; States: Record<string, Record<string, unknown>> } => {
  const [machine] = Object.values(dev.service.findResources('AWS::StepFunctions::StateMachine'));
  const parts = machine.Properties.DefinitionString['Fn::Join'][1] as unknown[];
  const token = (part: { Ref?: string; 'Fn::GetAtt'?: string[] }) =>
    part.Ref === 'AWS::Partition' ? 'aws' : `arn:aws:lambda:us-east-1:000000000000:function:${part['Fn::GetAtt']?.[0]}`;
  return JSON.parse(parts.map((p) => (typeof p === 'string' ? p : token(p as never))).join(''));
};

describe('functions', () => {
  it('are all Node.js 22 on ARM64 with active tracing', () => {
    expect(functions.length).toBeGreaterThanOrEqual(8);
    for (const [, fn] of functions) {
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], TracingConfig: { Mode: 'Active' } });
    }
  });

  it('carry the Powertools environment and source maps', () => {
    for (const [, fn] of functions) {
      expect(fn.Properties.Environment.Variables).toMatchObject({
        POWERTOOLS_SERVICE_NAME: expect.any(String),
        POWERTOOLS_METRICS_NAMESPACE: 'CommerceHub',
        POWERTOOLS_LOG_LEVEL: 'DEBUG',
        NODE_OPTIONS: '--enable-source-maps',
        APP_ENV: 'dev',
      });
    }
    for (const [, fn] of Object.entries(prod.service.findResources('AWS::Lambda::Function'))) {
      expect(fn.Properties.Environment.Variables.POWERTOOLS_LOG_LEVEL).toBe('INFO');
    }
  });

  it('log to their own log group with the environment’s retention', () => {
    for (const [, fn] of functions) expect(fn.Properties.LoggingConfig.LogGroup).toEqual({ Ref: expect.stringMatching(/Logs/) });
    const devRetention = Object.values(dev.service.findResources('AWS::Logs::LogGroup')).map((g) => g.Properties.RetentionInDays);
    const prodRetention = Object.values(prod.service.findResources('AWS::Logs::LogGroup')).map((g) => g.Properties.RetentionInDays);
    expect(new Set(devRetention)).toEqual(new Set([7]));
    expect(new Set(prodRetention)).toEqual(new Set([365]));
  });

  it('have no IAM statement with a wildcard action or the managed basic execution role', () => {
    for (const template of [dev.service, dev.stateful]) {
      for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
        for (const statement of policy.Properties.PolicyDocument.Statement) {
          for (const action of [statement.Action].flat()) expect(action).not.toMatch(/\*$/);
        }
      }
      for (const role of Object.values(template.findResources('AWS::IAM::Role'))) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  it('grant the health check metadata reads only, never secret values', () => {
    const [healthPolicy] = Object.entries(dev.service.findResources('AWS::IAM::Policy')).filter(([id]) => id.startsWith('OperationsGetHealthFnRole'));
    const actions = healthPolicy[1].Properties.PolicyDocument.Statement.flatMap((s: { Action: string | string[] }) => [s.Action].flat());
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:DescribeTable', 'sns:GetTopicAttributes', 'secretsmanager:DescribeSecret']));
    expect(actions).not.toContain('secretsmanager:GetSecretValue');
  });

  it('let the bKash webhook read the bKash secret only, and resume the saga', () => {
    const policies = Object.entries(dev.service.findResources('AWS::IAM::Policy')).filter(([id]) => id.startsWith('PaymentsBkashWebhookFn'));
    const statements = policies.flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>);
    const secretReads = statements.filter((s) => [s.Action].flat().includes('secretsmanager:GetSecretValue'));
    expect(secretReads.map((s) => s.Resource)).toEqual([{ 'Fn::ImportValue': expect.stringMatching(/BkashSecret/) }]);
    expect(statements.flatMap((s) => [s.Action].flat())).toContain('states:SendTaskSuccess');
    const [, fn] = functions.find(([id]) => id.startsWith('PaymentsBkashWebhookFn'))!;
    expect(fn.Properties.Environment.Variables).toMatchObject({ PAYMENT_GATEWAYS: 'bkash' });
  });

  it('feed both event queues and the SES events queue to their consumers in batches with partial failures', () => {
    dev.service.resourceCountIs('AWS::Lambda::EventSourceMapping', 3);
    dev.service.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 5 },
    });
  });
});

describe('REST API', () => {
  it('serves the v1 stage with tracing and access logs', () => {
    dev.service.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'v1',
      TracingEnabled: true,
      AccessLogSetting: { DestinationArn: Match.anyValue(), Format: Match.anyValue() },
    });
  });

  it('routes exactly the operations the OpenAPI document describes, with the same authorisation', () => {
    const { checkoutRoutes } = require('../../functions/checkout/routes') as typeof import('../../functions/checkout/routes');
    const { operationsRoutes } = require('../../functions/operations/routes') as typeof import('../../functions/operations/routes');
    const { paymentsRoutes } = require('../../functions/payments/routes') as typeof import('../../functions/payments/routes');
    const { shippingRoutes } = require('../../functions/shipping/routes') as typeof import('../../functions/shipping/routes');
    const { notificationsRoutes } = require('../../functions/notifications/routes') as typeof import('../../functions/notifications/routes');
    const documented = [...checkoutRoutes, ...operationsRoutes, ...paymentsRoutes, ...shippingRoutes, ...notificationsRoutes].map((r) => `${r.method} ${r.path} ${r.auth}`).sort();
    const resources = dev.service.findResources('AWS::ApiGateway::Resource');
    const pathOf = (ref: unknown): string => {
      const id = (ref as { Ref?: string }).Ref;
      if (!id || !resources[id]) return '';
      return `${pathOf(resources[id].Properties.ParentId)}/${resources[id].Properties.PathPart}`;
    };
    const methods = Object.values(dev.service.findResources('AWS::ApiGateway::Method'));
    for (const method of methods) expect(method.Properties.Integration.Type).toBe('AWS_PROXY');
    const routed = methods
      .map((m) => {
        const auth = m.Properties.AuthorizationType === 'AWS_IAM' ? 'iam' : m.Properties.ApiKeyRequired ? 'apiKey' : 'none';
        return `${m.Properties.HttpMethod} ${pathOf(m.Properties.ResourceId)} ${auth}`;
      })
      .sort();
    expect(routed).toEqual(documented);
  });

  it('answers its own errors in the error envelope', () => {
    for (const type of ['INVALID_API_KEY', 'MISSING_AUTHENTICATION_TOKEN', 'THROTTLED', 'DEFAULT_4XX', 'DEFAULT_5XX']) {
      dev.service.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
        ResponseType: type,
        ResponseTemplates: { 'application/json': Match.stringLikeRegexp('^\\{"error":\\{"code":"[A-Z_]+","message":\\$context\\.error\\.messageString') },
      });
    }
  });

  it('has a store API key on a usage plan with the environment’s throttle and quota', () => {
    dev.service.resourceCountIs('AWS::ApiGateway::ApiKey', 1);
    dev.service.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
      Throttle: { RateLimit: 50, BurstLimit: 100 },
      Quota: { Limit: 200_000, Period: 'DAY' },
    });
    prod.service.hasResourceProperties('AWS::ApiGateway::UsagePlan', { Throttle: { RateLimit: 200, BurstLimit: 400 } });
    dev.service.resourceCountIs('AWS::ApiGateway::UsagePlanKey', 1);
  });
});

describe('payment saga', () => {
  it('is a Standard state machine with tracing and logging without execution data', () => {
    dev.service.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
    });
  });

  it('passes asl-validator', () => {
    const validate = require('asl-validator') as (d: unknown) => { isValid: boolean; errorsText(): string };
    const result = validate(stateMachineDefinition());
    expect(result.errorsText()).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('waits for the result with a task token and a timeout taken from the input', () => {
    const { StartAt, States } = stateMachineDefinition();
    expect(States[StartAt]).toMatchObject({
      Type: 'Task',
      Resource: expect.stringMatching(/lambda:invoke\.waitForTaskToken$/),
      TimeoutSecondsPath: '$.timeoutSeconds',
      Parameters: { Payload: { 'taskToken.$': '$$.Task.Token' } },
    });
  });

  it('catches every failure of a forward step into the compensation, which retries and ends in Fail', () => {
    const { States } = stateMachineDefinition();
    const tasks = Object.entries(States as Record<string, { Type: string; Catch?: unknown; Retry?: unknown }>).filter(([, state]) => state.Type === 'Task');
    expect(tasks.map(([name]) => name).sort()).toEqual(['AwaitPaymentResult', 'CapturePayment', 'CompensatePayment', 'ConfirmPayment', 'QueryGatewayAfterTimeout']);
    for (const [name, state] of tasks) {
      expect(state.Retry).toEqual(expect.arrayContaining([expect.objectContaining({ ErrorEquals: expect.arrayContaining(['Lambda.ServiceException']) })]));
      if (name === 'CompensatePayment') continue;
      expect(state.Catch).toEqual(expect.arrayContaining([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'CompensatePayment' }]));
    }
    // A timeout is not a failure yet: the saga asks the gateway once before it gives up.
    expect(States.AwaitPaymentResult.Catch).toEqual([
      { ErrorEquals: ['States.Timeout'], ResultPath: '$.timeout', Next: 'QueryGatewayAfterTimeout' },
      { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'CompensatePayment' },
    ]);
    for (const name of ['CapturePayment', 'ConfirmPayment', 'QueryGatewayAfterTimeout']) {
      expect(States[name].Retry).toEqual(expect.arrayContaining([expect.objectContaining({ ErrorEquals: expect.arrayContaining(['ProviderRetryableError']), JitterStrategy: 'FULL' })]));
    }
    expect(States.AwaitPaymentResult.Next).toBe('IsApproved');
    expect(States.QueryGatewayAfterTimeout.Next).toBe('IsApproved');
    expect(States.IsApproved).toMatchObject({
      Type: 'Choice',
      Choices: [{ Variable: '$.result.outcome', StringEquals: 'approved', Next: 'CapturePayment' }],
      Default: 'PaymentNotApproved',
    });
    expect(States.PaymentNotApproved).toMatchObject({
      Type: 'Pass',
      Parameters: { Error: 'Payment.NotApproved', 'Cause.$': '$.result.failureCode' },
      ResultPath: '$.error',
      Next: 'CompensatePayment',
    });
    // The compensation gets the whole state (no Parameters): $.capture may be absent and must not break it.
    expect(States.CompensatePayment.Parameters).toBeUndefined();
    expect(States.CapturePayment.Next).toBe('ConfirmPayment');
    expect(States.ConfirmPayment.Next).toBe('PaymentSucceeded');
    expect(States.CompensatePayment).toMatchObject({ Next: 'PaymentFailed', Retry: expect.arrayContaining([expect.objectContaining({ ErrorEquals: ['ProviderRetryableError', 'States.Timeout'] })]) });
    expect(States.PaymentFailed.Type).toBe('Fail');
  });
});

describe('operations', () => {
  it('has a dashboard and alarms for dead letters, API errors and latency, function errors and failed payments', () => {
    dev.service.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    const alarms = Object.values(dev.service.findResources('AWS::CloudWatch::Alarm'));
    const metricNames = alarms.map((a) => a.Properties.MetricName);
    expect(metricNames).toEqual(expect.arrayContaining(['ApproximateNumberOfMessagesVisible', '5XXError', 'Latency', 'Errors', 'ExecutionsFailed']));
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toHaveLength(1);
  });
});

describe('CloudFormation limits', () => {
  it('keep the service stack under 500 resources, with one IAM policy per function role (plus the saga callbacks)', () => {
    const resources = Object.keys(prod.service.toJSON().Resources as Record<string, unknown>);
    const roles = Object.keys(prod.service.findResources('AWS::IAM::Role')).length;
    const policies = Object.keys(prod.service.findResources('AWS::IAM::Policy')).length;
    expect(resources.length).toBeLessThan(500);
    expect(policies).toBeLessThanOrEqual(roles + 4);
  });
});
