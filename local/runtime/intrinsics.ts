import { createHash } from 'node:crypto';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from './contracts';
import { CfnResource, CloudAssembly, LocalRuntimeError } from './template';

/** What `Ref` and `Fn::GetAtt` of one resource evaluate to locally. */
export interface ResourceIdentity {
  readonly physicalName: string;
  readonly ref: string;
  readonly attributes: Readonly<Record<string, string>>;
}

export interface ResolverContext {
  /** The shared AWS endpoint (queue URLs must point at it: the SQS client sends to the QueueUrl's host). */
  readonly awsEndpointUrl: string;
}

const arn = (service: string, resource: string, region = LOCAL_REGION) => `arn:aws:${service}:${region}:${LOCAL_ACCOUNT_ID}:${resource}`;
const shortHash = (text: string, length: number) => createHash('sha256').update(text).digest('hex').slice(0, length);

/** CloudFormation's generated names are `<stack>-<logicalId>-<random>`; locally they are stable and as short as the service allows. */
const generatedName = (stackName: string, logicalId: string, maxLength: number) => {
  const name = `${stackName}-${logicalId}`;
  return name.length <= maxLength ? name : `${name.slice(0, maxLength - 9)}-${shortHash(name, 8)}`;
};

const explicitName = (resource: CfnResource, property: string): string | undefined => {
  const value = resource.Properties?.[property];
  return typeof value === 'string' ? value : undefined;
};

/**
 * The local identity of a resource, following each type's documented Ref/GetAtt semantics (a queue's Ref is its
 * URL, a table's its name, a topic's or secret's its ARN …). Types the runtime ignores still get a stable identity, so
 * a reference to them (an alarm name in a dashboard) resolves.
 */
export const identityOf = (stackName: string, logicalId: string, resource: CfnResource, ctx: ResolverContext): ResourceIdentity => {
  const name = (property: string, maxLength = 128) => explicitName(resource, property) ?? generatedName(stackName, logicalId, maxLength);
  const id = (length: number) => shortHash(`${stackName}/${logicalId}`, length);
  switch (resource.Type) {
    case 'AWS::DynamoDB::Table': {
      const table = name('TableName', 255);
      return { physicalName: table, ref: table, attributes: { Arn: arn('dynamodb', `table/${table}`), StreamArn: arn('dynamodb', `table/${table}/stream/local`) } };
    }
    case 'AWS::SQS::Queue': {
      const fifo = resource.Properties?.FifoQueue === true;
      const queue = explicitName(resource, 'QueueName') ?? `${generatedName(stackName, logicalId, fifo ? 75 : 80)}${fifo ? '.fifo' : ''}`;
      const url = `${ctx.awsEndpointUrl}/${LOCAL_ACCOUNT_ID}/${queue}`;
      return { physicalName: queue, ref: url, attributes: { Arn: arn('sqs', queue), QueueName: queue, QueueUrl: url } };
    }
    case 'AWS::SNS::Topic': {
      const topic = name('TopicName', 256);
      return { physicalName: topic, ref: arn('sns', topic), attributes: { TopicArn: arn('sns', topic), TopicName: topic } };
    }
    case 'AWS::SecretsManager::Secret': {
      const secret = name('Name', 256);
      const secretArn = arn('secretsmanager', `secret:${secret}-${shortHash(secret, 6)}`);
      return { physicalName: secret, ref: secretArn, attributes: { Id: secretArn } };
    }
    case 'AWS::Lambda::Function': {
      const fn = name('FunctionName', 64);
      return { physicalName: fn, ref: fn, attributes: { Arn: arn('lambda', `function:${fn}`) } };
    }
    case 'AWS::StepFunctions::StateMachine': {
      const machine = name('StateMachineName', 80);
      const machineArn = arn('states', `stateMachine:${machine}`);
      return { physicalName: machine, ref: machineArn, attributes: { Arn: machineArn, Name: machine } };
    }
    case 'AWS::IAM::Role': {
      const role = name('RoleName', 64);
      return { physicalName: role, ref: role, attributes: { Arn: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/${role}`, RoleId: `AROA${id(16).toUpperCase()}` } };
    }
    case 'AWS::Logs::LogGroup': {
      const group = name('LogGroupName', 512);
      return { physicalName: group, ref: group, attributes: { Arn: arn('logs', `log-group:${group}:*`) } };
    }
    case 'AWS::KMS::Key': {
      const keyId = `${id(8)}-${id(4)}-${id(4)}-${id(4)}-${id(12)}`;
      return { physicalName: keyId, ref: keyId, attributes: { Arn: arn('kms', `key/${keyId}`), KeyId: keyId } };
    }
    case 'AWS::Events::Rule': {
      const rule = name('Name', 64);
      return { physicalName: rule, ref: rule, attributes: { Arn: arn('events', `rule/${rule}`) } };
    }
    case 'AWS::ApiGateway::RestApi': {
      const apiId = id(10);
      return { physicalName: apiId, ref: apiId, attributes: { RootResourceId: shortHash(`${apiId}/root`, 10), RestApiId: apiId } };
    }
    case 'AWS::ApiGateway::Stage': {
      const stage = explicitName(resource, 'StageName') ?? logicalId;
      return { physicalName: stage, ref: stage, attributes: {} };
    }
    case 'AWS::CloudWatch::Alarm': {
      const alarm = name('AlarmName', 255);
      return { physicalName: alarm, ref: alarm, attributes: { Arn: arn('cloudwatch', `alarm:${alarm}`) } };
    }
    default: {
      const physicalId = id(10);
      return { physicalName: physicalId, ref: physicalId, attributes: { Arn: arn('local', `${resource.Type}/${physicalId}`) } };
    }
  }
};

const PSEUDO_PARAMETERS: Record<string, string> = {
  'AWS::Region': LOCAL_REGION,
  'AWS::AccountId': LOCAL_ACCOUNT_ID,
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::NotificationARNs': '',
};

/** Marks a property that `Ref: AWS::NoValue` removed. */
const NO_VALUE = Symbol('AWS::NoValue');

/**
 * Evaluates the intrinsic functions CDK emits (Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select, Fn::Split,
 * Fn::ImportValue, Fn::Base64) to local names and URLs. Anything else is reported as something the runtime cannot
 * run, naming the stack and resource.
 */
export class TemplateResolver {
  private readonly identities = new Map<string, ResourceIdentity>();
  private readonly exports = new Map<string, { stackName: string; value: unknown }>();
  private readonly templates: Map<string, Record<string, CfnResource>>;

  constructor(assembly: CloudAssembly, ctx: ResolverContext) {
    this.templates = new Map(assembly.stacks.map((s) => [s.stackName, s.template.Resources]));
    for (const stack of assembly.stacks) {
      for (const [logicalId, resource] of Object.entries(stack.template.Resources)) {
        this.identities.set(`${stack.stackName}/${logicalId}`, identityOf(stack.stackName, logicalId, resource, ctx));
      }
      for (const output of Object.values(stack.template.Outputs ?? {})) {
        if (output.Export) this.exports.set(String(this.resolve(stack.stackName, output.Export.Name)), { stackName: stack.stackName, value: output.Value });
      }
    }
  }

  /** The identity of a resource; throws when the logical id does not exist in that stack. */
  identity(stackName: string, logicalId: string): ResourceIdentity {
    const found = this.identities.get(`${stackName}/${logicalId}`);
    if (!found) throw new LocalRuntimeError(`${stackName} refers to ${logicalId}, which is not in the template`);
    return found;
  }

  /** Deep-resolves a template value in the context of one stack. */
  resolve(stackName: string, value: unknown): unknown {
    const resolved = this.resolveValue(stackName, value);
    return resolved === NO_VALUE ? undefined : resolved;
  }

  /** Resolves to a string, or throws naming what was expected. */
  resolveString(stackName: string, value: unknown, what: string): string {
    const resolved = this.resolve(stackName, value);
    if (typeof resolved !== 'string' && typeof resolved !== 'number') {
      throw new LocalRuntimeError(`${stackName}: ${what} did not resolve to a string (${JSON.stringify(value)})`);
    }
    return String(resolved);
  }

  private resolveValue(stackName: string, value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.resolveValue(stackName, v)).filter((v) => v !== NO_VALUE);
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1 && (entries[0][0] === 'Ref' || entries[0][0].startsWith('Fn::'))) {
      return this.intrinsic(stackName, entries[0][0], entries[0][1]);
    }
    const out: Record<string, unknown> = {};
    for (const [key, v] of entries) {
      const resolved = this.resolveValue(stackName, v);
      if (resolved !== NO_VALUE) out[key] = resolved;
    }
    return out;
  }

  private intrinsic(stackName: string, fn: string, arg: unknown): unknown {
    switch (fn) {
      case 'Ref':
        return this.ref(stackName, String(arg));
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = Array.isArray(arg) ? arg.map(String) : String(arg).split(/\.(.+)/);
        return this.getAtt(stackName, logicalId, attribute);
      }
      case 'Fn::Join': {
        const [separator, parts] = arg as [string, unknown];
        const list = this.resolveValue(stackName, parts);
        if (!Array.isArray(list)) throw new LocalRuntimeError(`${stackName}: Fn::Join needs a list`);
        return list.join(separator);
      }
      case 'Fn::Select': {
        const [index, list] = arg as [unknown, unknown];
        const resolved = this.resolveValue(stackName, list);
        if (!Array.isArray(resolved)) throw new LocalRuntimeError(`${stackName}: Fn::Select needs a list`);
        return resolved[Number(this.resolveValue(stackName, index))];
      }
      case 'Fn::Split': {
        const [separator, source] = arg as [string, unknown];
        return String(this.resolveValue(stackName, source)).split(separator);
      }
      case 'Fn::Sub':
        return this.sub(stackName, arg);
      case 'Fn::ImportValue': {
        const name = String(this.resolveValue(stackName, arg));
        const exported = this.exports.get(name);
        if (!exported) throw new LocalRuntimeError(`${stackName} imports "${name}", which no stack exports`);
        return this.resolveValue(exported.stackName, exported.value);
      }
      case 'Fn::Base64':
        return Buffer.from(String(this.resolveValue(stackName, arg))).toString('base64');
      default:
        throw new LocalRuntimeError(`${stackName} uses ${fn}, which the local runtime does not evaluate (supported: Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select, Fn::Split, Fn::ImportValue, Fn::Base64)`);
    }
  }

  private ref(stackName: string, name: string): unknown {
    if (name === 'AWS::NoValue') return NO_VALUE;
    if (name === 'AWS::StackName') return stackName;
    if (name === 'AWS::StackId') return `arn:aws:cloudformation:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:stack/${stackName}/${shortHash(stackName, 8)}`;
    if (name in PSEUDO_PARAMETERS) return PSEUDO_PARAMETERS[name];
    if (!this.templates.get(stackName)?.[name]) {
      throw new LocalRuntimeError(`${stackName} refers to "${name}", which is neither a resource nor a supported parameter`);
    }
    return this.identity(stackName, name).ref;
  }

  private getAtt(stackName: string, logicalId: string, attribute: string): string {
    const identity = this.identity(stackName, logicalId);
    const value = identity.attributes[attribute];
    if (value === undefined) {
      const type = this.templates.get(stackName)?.[logicalId]?.Type;
      throw new LocalRuntimeError(`${stackName}: Fn::GetAtt ${logicalId}.${attribute} (${type}) is not known to the local runtime`);
    }
    return value;
  }

  private sub(stackName: string, arg: unknown): string {
    const [text, variables] = typeof arg === 'string' ? [arg, {}] : (arg as [string, Record<string, unknown>]);
    return text.replace(/\$\{(!?)([^}]+)\}/g, (_, literal: string, expr: string) => {
      if (literal) return `\${${expr}}`;
      if (expr in variables) return String(this.resolveValue(stackName, variables[expr]));
      const [logicalId, attribute] = expr.split(/\.(.+)/);
      return attribute ? this.getAtt(stackName, logicalId, attribute) : String(this.ref(stackName, logicalId));
    });
  }
}
