import { Validations } from 'aws-cdk-lib';
import {
  AccessLogFormat, ApiKeySourceType, AuthorizationType, EndpointType, IResource, LambdaIntegration,
  LogGroupLogDestination, Period, ResponseType, RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/environments';

/** How a route is authorised: a store's API key, public (webhooks verify in code; health), or SigV4 (operators). */
export type RouteAuth = 'apiKey' | 'none' | 'iam';

export interface RouteProps {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  /** Path under the `/v1` stage, e.g. `/orders/{orderId}`. */
  readonly path: string;
  readonly handler: IFunction;
  readonly auth: RouteAuth;
}

/** Every error API Gateway itself answers uses the API's error envelope (API.md), never `{"message": …}`. */
const GATEWAY_ERRORS: ReadonlyArray<{ type: ResponseType; status: string; code: string }> = [
  { type: ResponseType.DEFAULT_4XX, status: '400', code: 'BAD_REQUEST' },
  { type: ResponseType.DEFAULT_5XX, status: '500', code: 'INTERNAL_ERROR' },
  { type: ResponseType.MISSING_AUTHENTICATION_TOKEN, status: '403', code: 'FORBIDDEN' },
  { type: ResponseType.INVALID_API_KEY, status: '403', code: 'FORBIDDEN' },
  { type: ResponseType.ACCESS_DENIED, status: '403', code: 'FORBIDDEN' },
  { type: ResponseType.INVALID_SIGNATURE, status: '403', code: 'FORBIDDEN' },
  { type: ResponseType.EXPIRED_TOKEN, status: '403', code: 'FORBIDDEN' },
  { type: ResponseType.UNAUTHORIZED, status: '401', code: 'UNAUTHORIZED' },
  { type: ResponseType.THROTTLED, status: '429', code: 'RATE_LIMITED' },
  { type: ResponseType.QUOTA_EXCEEDED, status: '429', code: 'QUOTA_EXCEEDED' },
  { type: ResponseType.REQUEST_TOO_LARGE, status: '413', code: 'REQUEST_TOO_LARGE' },
  { type: ResponseType.INTEGRATION_TIMEOUT, status: '504', code: 'UPSTREAM_TIMEOUT' },
];

/**
 * The storefront REST API. The stage is `v1`, so every route lives under `/v1` exactly as API.md writes it.
 * Store routes need an API key bound to the store usage plan (per-store throttle and quota).
 */
export class CommerceApi extends Construct {
  readonly api: RestApi;
  private readonly resources = new Map<string, IResource>();

  constructor(scope: Construct, id: string, props: { config: EnvironmentConfig }) {
    super(scope, id);
    const { config } = props;
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: config.logRetention, removalPolicy: config.removalPolicy });
    this.api = new RestApi(this, 'RestApi', {
      description: `Commerce Hub storefront API (${config.name})`,
      endpointConfiguration: { types: [EndpointType.REGIONAL] },
      apiKeySourceType: ApiKeySourceType.HEADER,
      cloudWatchRole: false,
      deployOptions: {
        stageName: 'v1',
        tracingEnabled: true,
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields(),
        throttlingRateLimit: config.api.throttle.rateLimit * 10,
        throttlingBurstLimit: config.api.throttle.burstLimit * 10,
      },
    });
    for (const { type, status, code } of GATEWAY_ERRORS) {
      this.api.addGatewayResponse(`${type.responseType}Response`, {
        type,
        statusCode: status,
        templates: {
          'application/json': `{"error":{"code":"${code}","message":$context.error.messageString,"details":{"requestId":"$context.requestId"}}}`,
        },
      });
    }

    const plan = this.api.addUsagePlan('StoreUsagePlan', {
      description: 'Default plan for storefront API keys',
      throttle: { ...config.api.throttle },
      quota: { limit: config.api.dailyQuota, period: Period.DAY },
      apiStages: [{ api: this.api, stage: this.api.deploymentStage }],
    });
    plan.addApiKey(this.api.addApiKey('DemoStoreKey', { description: 'API key of the first store' }));

    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG2',
      reason: 'Requests are validated in the handler by the zod schemas that also generate the OpenAPI document.',
    });
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG3',
      reason: 'WAF is attached per deployment (it is priced per web ACL); usage-plan throttling applies meanwhile.',
    });
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG6',
      reason: 'Access logs and X-Ray tracing are on; execution logging needs an account-wide CloudWatch role managed outside this app.',
    });
  }

  /** Adds one route with a Lambda proxy integration and the given authorisation. */
  addRoute(route: RouteProps): void {
    const resource = this.resourceFor(route.path);
    const method = resource.addMethod(route.method, new LambdaIntegration(route.handler), {
      apiKeyRequired: route.auth === 'apiKey',
      authorizationType: route.auth === 'iam' ? AuthorizationType.IAM : AuthorizationType.NONE,
    });
    if (route.auth !== 'iam') {
      Validations.of(method).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: route.auth === 'apiKey'
          ? 'Store routes are authorised by API key and usage plan (server-to-server), as API.md specifies.'
          : 'Public by design: health/OpenAPI, or a provider webhook whose signature is verified in code.',
      });
    }
    Validations.of(method).acknowledge({
      id: 'AwsSolutions-COG4',
      reason: route.auth === 'iam'
        ? 'Operator routes are authorised by IAM (SigV4), not a Cognito user pool.'
        : 'Storefronts authenticate with API keys and staff with a JWT authorizer, not a Cognito user pool.',
    });
  }

  private resourceFor(path: string): IResource {
    let resource: IResource = this.api.root;
    let soFar = '';
    for (const part of path.split('/').filter(Boolean)) {
      soFar += `/${part}`;
      const existing = this.resources.get(soFar);
      resource = existing ?? resource.addResource(part);
      this.resources.set(soFar, resource);
    }
    return resource;
  }
}
