import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { LOCAL_REGION, type InvokeFunction, type InvokeResult, type Stoppable } from './contracts';
import { startRestApi } from './apigateway/rest-api';
import { startAwsEndpoint } from './emulators/aws-endpoint';
import { startDynamoDb } from './emulators/dynamodb';
import { createSecretsManagerEmulator } from './emulators/secrets-manager';
import { createSesEmulator } from './emulators/ses';
import { createSnsEmulator } from './emulators/sns';
import { createSqsEmulator } from './emulators/sqs';
import { createScheduler } from './emulators/scheduler';
import { createStepFunctionsEmulator } from './emulators/stepfunctions';
import { startSqsEventSource } from './event-source-mapping';
import { TemplateResolver } from './intrinsics';
import { createFunctionPool } from './lambda/function-pool';
import { createFunctionRegistry } from './lambda/functions';
import { loadLocalSecrets } from './local-secrets';
import { InvocationLog, invocationLogService } from './invocation-log';
import { CfnResource, CloudAssembly, LocalRuntimeError, readCloudAssembly } from './template';

/** Dummy credentials every local client signs with; the emulators accept any. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/** Resource types the runtime starts something for. */
const EMULATED_TYPES = new Set([
  'AWS::DynamoDB::Table', 'AWS::SQS::Queue', 'AWS::SNS::Topic', 'AWS::SNS::Subscription', 'AWS::SecretsManager::Secret',
  'AWS::Lambda::Function', 'AWS::Lambda::EventSourceMapping', 'AWS::StepFunctions::StateMachine',
  'AWS::ApiGateway::RestApi', 'AWS::ApiGateway::Resource', 'AWS::ApiGateway::Method', 'AWS::ApiGateway::Stage',
  'AWS::ApiGateway::Deployment', 'AWS::ApiGateway::ApiKey', 'AWS::ApiGateway::UsagePlan', 'AWS::ApiGateway::UsagePlanKey',
  'AWS::ApiGateway::GatewayResponse', 'AWS::Events::Rule', 'AWS::SES::ConfigurationSet', 'AWS::SES::ConfigurationSetEventDestination',
]);
/**
 * Types with no local behaviour: IAM is not enforced locally (cdk-nag checks least privilege in the tests), KMS
 * encryption, log groups and CloudWatch alarms/dashboards exist only in AWS.
 */
const IGNORED_TYPES = new Set([
  'AWS::IAM::Role', 'AWS::IAM::Policy', 'AWS::Lambda::Permission', 'AWS::SQS::QueuePolicy', 'AWS::SNS::TopicPolicy',
  'AWS::KMS::Key', 'AWS::KMS::Alias', 'AWS::Logs::LogGroup', 'AWS::CloudWatch::Alarm', 'AWS::CloudWatch::Dashboard',
  'AWS::CDK::Metadata', 'AWS::ApiGateway::Account',
]);

export interface LocalRuntimeOptions {
  /** The synthesized cloud assembly (cdk.out). */
  readonly cloudAssemblyDir: string;
  readonly host?: string;
  /** 0 picks a free port. */
  readonly apiPort: number;
  readonly awsPort: number;
  /** Where data survives restarts (`--persist`); in memory when absent. */
  readonly dataDir?: string;
  /** Git-ignored provider secret values, created with sandbox values on first start. */
  readonly secretsFile: string;
  /** Execution environments per function. */
  readonly maxInstancesPerFunction?: number;
  /**
   * Provider secrets of running simulators, by provider id. A provider whose entry in the secrets file is
   * `{ "simulator": true }` (the default for these providers) gets its simulator's values.
   */
  readonly simulatorSecrets?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly log: (line: string) => void;
}

/** What a started runtime serves; also written to `.local/endpoints.json` for tools and tests. */
export interface LocalEndpoints {
  readonly api: { readonly url: string; readonly stage: string };
  readonly apiKeys: ReadonlyArray<{ readonly name: string; readonly value: string }>;
  readonly aws: {
    readonly endpoint: string;
    readonly dynamodb: string;
    readonly region: string;
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
  };
  /** Physical names/ARNs/URLs by construct path (e.g. `CommerceHub-dev-Stateful/ShippingEvents/DeadLetterQueue`). */
  readonly resources: Readonly<Record<string, { type: string; ref: string; arn?: string }>>;
}

export interface LocalRuntime extends Stoppable {
  readonly endpoints: LocalEndpoints;
  readonly functionNames: readonly string[];
  readonly invocations: InvocationLog;
}

interface Located {
  readonly stackName: string;
  readonly logicalId: string;
  readonly resource: CfnResource;
}

/** The construct path CDK records on a resource, without the trailing `/Resource` (logical id when absent). */
const constructPath = ({ stackName, logicalId, resource }: Located): string => {
  const cdkPath = resource.Metadata?.['aws:cdk:path'];
  return typeof cdkPath === 'string' ? cdkPath.replace(/\/(Resource|Default)$/, '') : `${stackName}/${logicalId}`;
};

const allResources = (assembly: CloudAssembly): Located[] =>
  assembly.stacks.flatMap((s) => Object.entries(s.template.Resources).map(([logicalId, resource]) => ({ stackName: s.stackName, logicalId, resource })));

const checkSupported = (resources: Located[]): void => {
  for (const { stackName, logicalId, resource } of resources) {
    if (resource.Condition) throw new LocalRuntimeError(`${stackName}/${logicalId} has a Condition; the local runtime runs templates without conditions`);
    if (!EMULATED_TYPES.has(resource.Type) && !IGNORED_TYPES.has(resource.Type)) {
      throw new LocalRuntimeError(`${stackName}/${logicalId} is a ${resource.Type}, which the local runtime cannot run yet (add it to local/runtime or remove it)`);
    }
  }
};

const num = (value: unknown, fallback: number): number => (value === undefined ? fallback : Number(value));

/** A secret's first value: its SecretString, or what GenerateSecretString asks for (a random key in a JSON template). */
const initialSecretValue = (p: Record<string, any>): Record<string, unknown> => {
  const generate = p.GenerateSecretString as { SecretStringTemplate?: string; GenerateStringKey?: string; PasswordLength?: number } | undefined;
  if (p.SecretString === undefined && generate?.GenerateStringKey) {
    const template = JSON.parse(generate.SecretStringTemplate ?? '{}') as Record<string, unknown>;
    return { ...template, [generate.GenerateStringKey]: randomBytes(Math.ceil((generate.PasswordLength ?? 32) * 0.75)).toString('base64url') };
  }
  return JSON.parse(String(p.SecretString ?? '{}')) as Record<string, unknown>;
};

/**
 * Starts everything the synthesized template declares on this machine: DynamoDB (dynalite), SQS, SNS, Secrets
 * Manager and Step Functions behind one AWS endpoint, every function from its cdk.out bundle in worker threads, the
 * SQS event source mappings and the REST API. Handlers talk to it through the real SDK clients: only
 * AWS_ENDPOINT_URL*, the region and dummy credentials differ from AWS.
 */
export const startLocalRuntime = async (opts: LocalRuntimeOptions): Promise<LocalRuntime> => {
  const host = opts.host ?? '127.0.0.1';
  const assembly = readCloudAssembly(opts.cloudAssemblyDir);
  const resources = allResources(assembly);
  checkSupported(resources);
  const ofType = (type: string) => resources.filter((r) => r.resource.Type === type);
  const started: Stoppable[] = [];
  const stopAll = async () => {
    for (const s of started.reverse()) await s.stop().catch((err: Error) => opts.log(`[runtime] stop failed: ${err.message}`));
  };

  try {
    if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
    const services: Parameters<typeof startAwsEndpoint>[0]['services'] = [];
    const aws = await startAwsEndpoint({ host, port: opts.awsPort, services });
    started.push(aws);
    const dynamodb = await startDynamoDb({ host, dataDir: opts.dataDir && path.join(opts.dataDir, 'dynamodb') });
    started.push(dynamodb);
    const resolver = new TemplateResolver(assembly, { awsEndpointUrl: aws.url });
    const props = (r: Located) => (resolver.resolve(r.stackName, r.resource.Properties ?? {}) ?? {}) as Record<string, any>;

    const invocations = new InvocationLog();
    const sqs = createSqsEmulator({ endpointUrl: aws.url, persistFile: opts.dataDir && path.join(opts.dataDir, 'sqs.json') });
    started.push(sqs);
    const sns = createSnsEmulator({ sqs, onDeliveryError: (sub, err) => opts.log(`[sns] delivery to ${sub} failed: ${String(err)}`) });
    const secretsManager = createSecretsManagerEmulator();
    const ses = createSesEmulator({ publish: (input) => sns.publish(input), onPublishError: (err) => opts.log(`[ses] event not published: ${String(err)}`) });
    const notStarted: InvokeFunction = async () => ({ ok: false, errorType: 'ResourceNotFoundException', errorMessage: 'functions not started yet' });
    let invokeFunction = notStarted;
    let invokeFromApi = notStarted;
    const stepFunctions = createStepFunctionsEmulator({ invoke: (fn, payload) => invokeFunction(fn, payload), log: opts.log });
    started.push(stepFunctions);
    services.push(ses, dynamodb.service, sqs, sns, secretsManager, stepFunctions, invocationLogService(invocations));

    // Data first: tables, queues (dead-letter queues before the queues that redrive to them), topics, subscriptions.
    for (const table of ofType('AWS::DynamoDB::Table')) {
      const p = props(table);
      await dynamodb.createTable({
        tableName: resolver.identity(table.stackName, table.logicalId).physicalName,
        keySchema: p.KeySchema,
        attributeDefinitions: p.AttributeDefinitions,
        globalSecondaryIndexes: p.GlobalSecondaryIndexes,
        timeToLiveAttribute: p.TimeToLiveSpecification?.Enabled ? p.TimeToLiveSpecification.AttributeName : undefined,
      });
    }
    const queues = ofType('AWS::SQS::Queue').sort((a, b) => Number(Boolean(a.resource.Properties?.RedrivePolicy)) - Number(Boolean(b.resource.Properties?.RedrivePolicy)));
    for (const queue of queues) {
      const p = props(queue);
      sqs.createQueue({
        name: resolver.identity(queue.stackName, queue.logicalId).physicalName,
        visibilityTimeoutSeconds: p.VisibilityTimeout === undefined ? undefined : Number(p.VisibilityTimeout),
        messageRetentionSeconds: p.MessageRetentionPeriod === undefined ? undefined : Number(p.MessageRetentionPeriod),
        delaySeconds: p.DelaySeconds === undefined ? undefined : Number(p.DelaySeconds),
        receiveWaitTimeSeconds: p.ReceiveMessageWaitTimeSeconds === undefined ? undefined : Number(p.ReceiveMessageWaitTimeSeconds),
        redrivePolicy: p.RedrivePolicy && { deadLetterTargetArn: p.RedrivePolicy.deadLetterTargetArn, maxReceiveCount: Number(p.RedrivePolicy.maxReceiveCount) },
        fifo: p.FifoQueue === true,
        contentBasedDeduplication: p.ContentBasedDeduplication === true,
      });
    }
    for (const topic of ofType('AWS::SNS::Topic')) {
      const p = props(topic);
      sns.createTopic({ name: resolver.identity(topic.stackName, topic.logicalId).physicalName, fifo: p.FifoTopic === true, displayName: p.DisplayName });
    }
    for (const subscription of ofType('AWS::SNS::Subscription')) {
      const p = props(subscription);
      if (p.Protocol !== 'sqs') throw new LocalRuntimeError(`${constructPath(subscription)}: only sqs subscriptions run locally (got ${p.Protocol})`);
      sns.subscribe({
        topicArn: p.TopicArn, protocol: 'sqs', endpoint: p.Endpoint,
        rawMessageDelivery: p.RawMessageDelivery === true || p.RawMessageDelivery === 'true',
        filterPolicy: p.FilterPolicy, filterPolicyScope: p.FilterPolicyScope,
      });
    }

    // SES configuration sets and their SNS event destinations (after the topics they publish to).
    for (const set of ofType('AWS::SES::ConfigurationSet')) ses.createConfigurationSet(resolver.identity(set.stackName, set.logicalId).physicalName);
    for (const destination of ofType('AWS::SES::ConfigurationSetEventDestination')) {
      const p = props(destination);
      const target = p.EventDestination ?? {};
      if (target.Enabled === false || !target.SnsDestination) continue;
      ses.addEventDestination(String(p.ConfigurationSetName), { topicArn: String(target.SnsDestination.TopicARN), eventTypes: target.MatchingEventTypes ?? [] });
    }

    // Provider secrets: the template's initial value, overridden by the local secrets file.
    const secrets = ofType('AWS::SecretsManager::Secret');
    const providerOf = (secret: Located): string =>
      (props(secret).Tags as Array<{ Key: string; Value: string }> | undefined)?.find((t) => t.Key === 'commerce-hub:provider')?.Value
      ?? resolver.identity(secret.stackName, secret.logicalId).physicalName;
    const simulated = opts.simulatorSecrets ?? {};
    const defaults = Object.fromEntries(secrets.map((s) => {
      const provider = providerOf(s);
      const value = provider in simulated ? { simulator: true } : initialSecretValue(props(s));
      return [provider, value];
    }));
    const templateValues = Object.fromEntries(secrets.map((s) => [providerOf(s), initialSecretValue(props(s))]));
    const localValues = loadLocalSecrets(opts.secretsFile, defaults, templateValues);
    for (const secret of secrets) {
      const identity = resolver.identity(secret.stackName, secret.logicalId);
      const provider = providerOf(secret);
      const value = localValues[provider]?.simulator === true && simulated[provider] ? simulated[provider] : localValues[provider];
      secretsManager.createSecret({
        name: identity.physicalName,
        arn: identity.ref,
        secretString: JSON.stringify(value),
        description: props(secret).Description,
      });
    }

    // The API first, so functions can be told its local URL; it invokes them once they exist.
    const api = await startApi({ resources, resolver, props, host, port: opts.apiPort, invoke: (fn, payload) => invokeFromApi(fn, payload), dataDir: opts.dataDir, log: opts.log });
    started.push(api);
    // A function that knows the API's execute-api URL (return URLs for gateways) gets the local one: the DNS change
    // a custom domain would make, nothing else.
    const localApiUrl = (value: string) => value.split(api.executeApiOrigin).join(api.origin);

    // Functions: the exact bundles in cdk.out with the template's environment plus local endpoints.
    const pools = ofType('AWS::Lambda::Function').map((fn) => {
      const p = props(fn);
      const identity = resolver.identity(fn.stackName, fn.logicalId);
      const assetPath = fn.resource.Metadata?.['aws:asset:path'];
      if (typeof assetPath !== 'string') {
        throw new LocalRuntimeError(`${constructPath(fn)} names no bundle: synthesize with the context aws:cdk:enable-asset-metadata=true (npm start does)`);
      }
      if (!String(p.Runtime).startsWith('nodejs')) throw new LocalRuntimeError(`${constructPath(fn)} runs ${p.Runtime}; locally only Node.js functions run`);
      const codeDir = path.join(assembly.directory, assetPath);
      if (!existsSync(codeDir)) throw new LocalRuntimeError(`The bundle of ${constructPath(fn)} is missing (${codeDir}): run \`npm start\` again to synthesize`);
      return createFunctionPool({
        name: identity.physicalName,
        arn: identity.attributes.Arn,
        codeDir,
        handler: String(p.Handler),
        environment: {
          ...Object.fromEntries(Object.entries((p.Environment?.Variables ?? {}) as Record<string, string>).map(([k, v]) => [k, localApiUrl(String(v))])),
          AWS_REGION: LOCAL_REGION,
          AWS_DEFAULT_REGION: LOCAL_REGION,
          AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
          AWS_ENDPOINT_URL: aws.url,
          AWS_ENDPOINT_URL_DYNAMODB: dynamodb.url,
        },
        timeoutSeconds: num(p.Timeout, 3),
        memoryMb: num(p.MemorySize, 128),
        maxInstances: opts.maxInstancesPerFunction,
        log: opts.log,
      });
    });
    const registry = createFunctionRegistry(pools);
    started.push(registry);
    invokeFunction = invocations.wrap(registry.invoke, 'stepfunctions');
    invokeFromApi = invocations.wrap(registry.invoke, 'apigateway');

    for (const machine of ofType('AWS::StepFunctions::StateMachine')) {
      const identity = resolver.identity(machine.stackName, machine.logicalId);
      const p = props(machine);
      stepFunctions.createStateMachine({
        name: identity.physicalName,
        arn: identity.ref,
        definition: p.Definition ?? JSON.parse(String(p.DefinitionString)),
        type: p.StateMachineType === 'EXPRESS' ? 'EXPRESS' : 'STANDARD',
      });
    }

    const scheduler = createScheduler({ invoke: invocations.wrap(registry.invoke, 'events'), log: opts.log });
    started.push(scheduler);
    services.push(scheduler.service);
    for (const rule of ofType('AWS::Events::Rule')) {
      const p = props(rule);
      const identity = resolver.identity(rule.stackName, rule.logicalId);
      if (p.ScheduleExpression === undefined) throw new LocalRuntimeError(`${constructPath(rule)}: only scheduled rules run locally (this one has an event pattern)`);
      const targets = (p.Targets ?? []) as Array<{ Arn: string; Input?: string }>;
      const notLambda = targets.find((t) => !String(t.Arn).startsWith('arn:aws:lambda:'));
      if (notLambda) throw new LocalRuntimeError(`${constructPath(rule)} targets ${notLambda.Arn}; locally only Lambda targets run`);
      try {
        scheduler.add({
          name: identity.physicalName,
          arn: identity.attributes.Arn,
          scheduleExpression: String(p.ScheduleExpression),
          enabled: p.State !== 'DISABLED',
          targets: targets.map((t) => ({ functionArn: String(t.Arn), ...(t.Input !== undefined && { input: String(t.Input) }) })),
        });
      } catch (err) {
        throw new LocalRuntimeError(`${constructPath(rule)}: ${(err as Error).message}`);
      }
    }

    for (const mapping of ofType('AWS::Lambda::EventSourceMapping')) {
      const p = props(mapping);
      if (!String(p.EventSourceArn).startsWith('arn:aws:sqs:')) throw new LocalRuntimeError(`${constructPath(mapping)}: only SQS event sources run locally`);
      if (p.Enabled === false) continue;
      const functionName = registry.get(String(p.FunctionName))?.name ?? String(p.FunctionName);
      started.push(startSqsEventSource(
        {
          functionName,
          queueArn: p.EventSourceArn,
          batchSize: num(p.BatchSize, 10),
          maximumBatchingWindowSeconds: p.MaximumBatchingWindowInSeconds === undefined ? undefined : Number(p.MaximumBatchingWindowInSeconds),
          reportBatchItemFailures: (p.FunctionResponseTypes ?? []).includes('ReportBatchItemFailures'),
          maximumConcurrency: p.ScalingConfig?.MaximumConcurrency === undefined ? undefined : Number(p.ScalingConfig.MaximumConcurrency),
        },
        { sqs, invoke: invocations.wrap(registry.invoke, 'sqs'), onBatch: (report) => invocations.recordBatch(report) },
      ));
    }


    const endpoints: LocalEndpoints = {
      api: { url: api.url, stage: api.stageName },
      apiKeys: api.apiKeys,
      aws: { endpoint: aws.url, dynamodb: dynamodb.url, region: LOCAL_REGION, ...LOCAL_CREDENTIALS },
      resources: Object.fromEntries(resources
        .filter((r) => EMULATED_TYPES.has(r.resource.Type))
        .map((r) => {
          const identity = resolver.identity(r.stackName, r.logicalId);
          return [constructPath(r), { type: r.resource.Type, ref: identity.ref, arn: identity.attributes.Arn }];
        })),
    };
    return {
      endpoints,
      functionNames: pools.map((p) => p.name),
      invocations,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
};

interface ApiStartOptions {
  readonly resources: Located[];
  readonly resolver: TemplateResolver;
  readonly props: (r: Located) => Record<string, any>;
  readonly host: string;
  readonly port: number;
  readonly invoke: InvokeFunction;
  readonly dataDir?: string;
  readonly log: (line: string) => void;
}

/**
 * The REST API from its resources, methods, stage, API keys, usage plans and gateway responses. API keys get random
 * values (AWS generates them too), kept in the data directory when persisting so clients keep working.
 */
const startApi = async (o: ApiStartOptions) => {
  const ofType = (type: string) => o.resources.filter((r) => r.resource.Type === type);
  const apis = ofType('AWS::ApiGateway::RestApi');
  if (apis.length !== 1) throw new LocalRuntimeError(`The local runtime serves exactly one REST API; the template has ${apis.length}`);
  const [restApi] = apis;
  const apiIdentity = o.resolver.identity(restApi.stackName, restApi.logicalId);
  const inStack = (r: Located) => r.stackName === restApi.stackName;

  const resourcePaths = new Map<string, string>([[apiIdentity.attributes.RootResourceId, '/']]);
  const pending = ofType('AWS::ApiGateway::Resource').filter(inStack);
  while (pending.length > 0) {
    const index = pending.findIndex((r) => resourcePaths.has(String(o.props(r).ParentId)));
    if (index < 0) throw new LocalRuntimeError('API resources refer to parents that do not exist');
    const [resource] = pending.splice(index, 1);
    const p = o.props(resource);
    const parent = resourcePaths.get(String(p.ParentId))!;
    resourcePaths.set(o.resolver.identity(resource.stackName, resource.logicalId).ref, `${parent === '/' ? '' : parent}/${p.PathPart}`);
  }

  const routes = ofType('AWS::ApiGateway::Method').filter(inStack).flatMap((method) => {
    const p = o.props(method);
    if (p.HttpMethod === 'OPTIONS' && p.Integration?.Type === 'MOCK') return [];
    if (p.Integration?.Type !== 'AWS_PROXY') {
      throw new LocalRuntimeError(`${constructPath(method)}: only Lambda proxy integrations run locally (got ${p.Integration?.Type})`);
    }
    const functionArn = /functions\/(arn:[^/]+)\/invocations$/.exec(String(p.Integration.Uri))?.[1];
    if (!functionArn) throw new LocalRuntimeError(`${constructPath(method)}: cannot find the function in ${p.Integration.Uri}`);
    return [{
      httpMethod: String(p.HttpMethod),
      resourcePath: resourcePaths.get(String(p.ResourceId)) ?? '/',
      functionName: functionArn,
      apiKeyRequired: p.ApiKeyRequired === true,
      authorizationType: (p.AuthorizationType ?? 'NONE') as 'NONE' | 'AWS_IAM' | 'CUSTOM' | 'COGNITO_USER_POOLS',
    }];
  });

  const stages = ofType('AWS::ApiGateway::Stage').filter(inStack);
  const stageName = stages.length > 0 ? String(o.props(stages[0]).StageName) : 'prod';

  const keysFile = o.dataDir && path.join(o.dataDir, 'api-keys.json');
  const storedKeys: Record<string, string> = keysFile && existsSync(keysFile) ? JSON.parse(readFileSync(keysFile, 'utf8')) : {};
  const planKeys = ofType('AWS::ApiGateway::UsagePlanKey').map((k) => o.props(k));
  const apiKeys = ofType('AWS::ApiGateway::ApiKey').map((key) => {
    const p = o.props(key);
    const id = o.resolver.identity(key.stackName, key.logicalId).ref;
    const name = constructPath(key).split('/').slice(-1)[0] === 'Resource' ? key.logicalId : constructPath(key).replace(/^[^/]+\//, '');
    const value = typeof p.Value === 'string' ? p.Value : (storedKeys[id] ??= randomBytes(20).toString('hex'));
    return { id, name, value, usagePlanIds: planKeys.filter((k) => k.KeyId === id).map((k) => String(k.UsagePlanId)) };
  });
  if (keysFile) writeFileSync(keysFile, JSON.stringify(storedKeys, null, 2), { mode: 0o600 });

  const usagePlans = ofType('AWS::ApiGateway::UsagePlan').map((plan) => {
    const p = o.props(plan);
    return {
      id: o.resolver.identity(plan.stackName, plan.logicalId).ref,
      throttle: p.Throttle && { rateLimit: Number(p.Throttle.RateLimit), burstLimit: Number(p.Throttle.BurstLimit) },
      quota: p.Quota && { limit: Number(p.Quota.Limit), period: p.Quota.Period },
    };
  });
  const gatewayResponses = ofType('AWS::ApiGateway::GatewayResponse').filter(inStack).map((r) => {
    const p = o.props(r);
    return { responseType: String(p.ResponseType), statusCode: p.StatusCode, responseTemplates: p.ResponseTemplates, responseParameters: p.ResponseParameters };
  });

  const server = await startRestApi({
    host: o.host,
    port: o.port,
    apiId: apiIdentity.ref,
    stageName,
    routes,
    apiKeys,
    usagePlans,
    gatewayResponses,
    iamCredentials: LOCAL_CREDENTIALS,
    invoke: o.invoke,
    onRequest: (line) => o.log(`[api] ${line}`),
  });
  return {
    url: server.url.replace(/\/$/, ''),
    origin: new URL(server.url).origin,
    executeApiOrigin: `https://${apiIdentity.ref}.execute-api.${LOCAL_REGION}.amazonaws.com`,
    stageName,
    apiKeys: apiKeys.map(({ name, value }) => ({ name, value })),
    stop: () => server.stop(),
  };
};

export type { InvokeResult };
