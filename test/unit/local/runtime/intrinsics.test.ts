import { TemplateResolver } from '../../../../local/runtime/intrinsics';
import { CloudAssembly, LocalRuntimeError } from '../../../../local/runtime/template';

const assembly: CloudAssembly = {
  directory: '/nowhere',
  stacks: [
    {
      stackName: 'Data',
      template: {
        Resources: {
          Orders: { Type: 'AWS::DynamoDB::Table', Properties: {} },
          Work: { Type: 'AWS::SQS::Queue', Properties: {} },
          Events: { Type: 'AWS::SNS::Topic', Properties: {} },
          Named: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'explicit-name' } },
        },
        Outputs: {
          OrdersName: { Value: { Ref: 'Orders' }, Export: { Name: 'Data:OrdersName' } },
          WorkArn: { Value: { 'Fn::GetAtt': ['Work', 'Arn'] }, Export: { Name: { 'Fn::Join': ['', ['Data', ':WorkArn']] } } },
        },
      },
    },
    {
      stackName: 'Service',
      template: { Resources: { Fn: { Type: 'AWS::Lambda::Function', Properties: {} } } },
    },
  ],
};
const resolver = new TemplateResolver(assembly, { awsEndpointUrl: 'http://127.0.0.1:4566' });

describe('TemplateResolver', () => {
  it('resolves Ref by each type’s semantics: a table to its name, a queue to its URL, a topic to its ARN', () => {
    expect(resolver.resolve('Data', { Ref: 'Orders' })).toBe('Data-Orders');
    expect(resolver.resolve('Data', { Ref: 'Work' })).toBe('http://127.0.0.1:4566/000000000000/Data-Work');
    expect(resolver.resolve('Data', { Ref: 'Events' })).toBe('arn:aws:sns:us-east-1:000000000000:Data-Events');
    expect(resolver.resolve('Data', { Ref: 'Named' })).toBe('http://127.0.0.1:4566/000000000000/explicit-name');
  });

  it('resolves GetAtt, Join, Sub, Select, Split and pseudo parameters', () => {
    expect(resolver.resolve('Service', { 'Fn::GetAtt': ['Fn', 'Arn'] })).toBe('arn:aws:lambda:us-east-1:000000000000:function:Service-Fn');
    expect(resolver.resolve('Data', { 'Fn::Join': ['-', ['a', { Ref: 'AWS::Region' }, { Ref: 'AWS::AccountId' }]] })).toBe('a-us-east-1-000000000000');
    expect(resolver.resolve('Data', { 'Fn::Sub': 'arn:${AWS::Partition}:x:${Orders}:${Work.QueueName}:${!Literal}' })).toBe('arn:aws:x:Data-Orders:Data-Work:${Literal}');
    expect(resolver.resolve('Data', { 'Fn::Sub': ['${Name}!', { Name: { Ref: 'Orders' } }] })).toBe('Data-Orders!');
    expect(resolver.resolve('Data', { 'Fn::Select': [1, { 'Fn::Split': [',', 'a,b,c'] }] })).toBe('b');
  });

  it('resolves Fn::ImportValue from another stack’s exports', () => {
    expect(resolver.resolve('Service', { 'Fn::ImportValue': 'Data:OrdersName' })).toBe('Data-Orders');
    expect(resolver.resolve('Service', { 'Fn::ImportValue': 'Data:WorkArn' })).toBe('arn:aws:sqs:us-east-1:000000000000:Data-Work');
  });

  it('drops properties set to AWS::NoValue', () => {
    expect(resolver.resolve('Data', { Keep: 1, Drop: { Ref: 'AWS::NoValue' }, List: [1, { Ref: 'AWS::NoValue' }] })).toEqual({ Keep: 1, List: [1] });
  });

  it('says which reference it cannot resolve', () => {
    expect(() => resolver.resolve('Service', { Ref: 'Missing' })).toThrow(LocalRuntimeError);
    expect(() => resolver.resolve('Service', { 'Fn::ImportValue': 'Nope' })).toThrow(/imports "Nope", which no stack exports/);
    expect(() => resolver.resolve('Data', { 'Fn::GetAtt': ['Orders', 'Nonsense'] })).toThrow(/Orders\.Nonsense/);
    expect(() => resolver.resolve('Data', { 'Fn::If': ['C', 1, 2] })).toThrow(/Fn::If, which the local runtime does not evaluate/);
  });

  it('keeps generated names within the service’s length limit and stable', () => {
    const long = new TemplateResolver({ directory: '/', stacks: [{ stackName: 'S'.repeat(60), template: { Resources: { F: { Type: 'AWS::Lambda::Function' } } } }] }, { awsEndpointUrl: 'http://x' });
    const name = String(long.resolve('S'.repeat(60), { Ref: 'F' }));
    expect(name.length).toBeLessThanOrEqual(64);
    expect(long.resolve('S'.repeat(60), { Ref: 'F' })).toBe(name);
  });
});
