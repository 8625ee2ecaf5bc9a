import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startLocalRuntime } from '../../../../local/runtime/runtime';
import type { LocalRuntime } from '../../../../local/runtime/runtime';
import { LocalRuntimeError } from '../../../../local/runtime/template';

/** A cloud assembly with one stack holding `resources`. */
const anAssembly = (resources: Record<string, unknown>): string => {
  const dir = mkdtempSync(path.join(tmpdir(), 'assembly-'));
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({
    artifacts: { App: { type: 'aws:cloudformation:stack', properties: { templateFile: 'App.template.json' } } },
  }));
  writeFileSync(path.join(dir, 'App.template.json'), JSON.stringify({ Resources: resources }));
  return dir;
};

const start = (cloudAssemblyDir: string) => startLocalRuntime({
  cloudAssemblyDir, apiPort: 0, awsPort: 0, secretsFile: path.join(cloudAssemblyDir, 'secrets.json'), log: () => undefined,
});

describe('startLocalRuntime refuses what it cannot run, in one line that says what to do', () => {
  it('a directory with no synthesized app', async () => {
    await expect(start(mkdtempSync(path.join(tmpdir(), 'empty-')))).rejects.toThrow(/No synthesized app .* run `npm start`/);
  });

  it('a resource type it does not emulate', async () => {
    const dir = anAssembly({ Bucket: { Type: 'AWS::S3::Bucket', Properties: {} } });
    await expect(start(dir)).rejects.toThrow(LocalRuntimeError);
    await expect(start(dir)).rejects.toThrow('App/Bucket is a AWS::S3::Bucket, which the local runtime cannot run yet');
  });

  it('a function whose bundle is missing', async () => {
    const dir = anAssembly({
      Fn: { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'nodejs22.x', Handler: 'index.handler' }, Metadata: { 'aws:asset:path': 'asset.gone' } },
      Api: { Type: 'AWS::ApiGateway::RestApi', Properties: {} },
    });
    await expect(start(dir)).rejects.toThrow(/The bundle of App\/Fn is missing .* run `npm start` again/);
  });
});

describe('scheduled rules (AWS::Events::Rule)', () => {
  let runtime: LocalRuntime;
  const echo = {
    Type: 'AWS::Lambda::Function',
    Properties: { Runtime: 'nodejs22.x', Handler: 'index.handler' },
    Metadata: { 'aws:asset:path': 'asset.echo' },
  };
  const rule = (properties: Record<string, unknown>) => ({ Type: 'AWS::Events::Rule', Properties: properties });

  beforeAll(async () => {
    const dir = anAssembly({
      Echo: echo,
      Api: { Type: 'AWS::ApiGateway::RestApi', Properties: {} },
      Weekly: rule({ ScheduleExpression: 'cron(0 9 ? * MON *)', Targets: [{ Id: 'echo', Arn: { 'Fn::GetAtt': ['Echo', 'Arn'] } }] }),
    });
    mkdirSync(path.join(dir, 'asset.echo'));
    writeFileSync(path.join(dir, 'asset.echo', 'index.mjs'), 'export const handler = async (event) => ({ received: event });');
    runtime = await start(dir);
  });
  afterAll(() => runtime?.stop());

  it('lists each rule and fires it on demand with a scheduled event, recorded as an events invocation', async () => {
    const aws = runtime.endpoints.aws.endpoint;
    const rules = await (await fetch(`${aws}/_local/rules`)).json() as Array<{ name: string; arn: string; scheduleExpression: string }>;
    expect(rules).toEqual([expect.objectContaining({ scheduleExpression: 'cron(0 9 ? * MON *)', arn: expect.stringMatching(/^arn:aws:events:us-east-1:000000000000:rule\//) })]);

    const fired = await fetch(`${aws}/_local/rules/${rules[0].name}/run`, { method: 'POST' });
    expect(fired.status).toBe(200);
    const body = await fired.json() as { results: Array<{ ok: boolean; payload: { received: Record<string, unknown> } }> };
    expect(body.results).toEqual([{ ok: true, payload: { received: expect.objectContaining({ 'detail-type': 'Scheduled Event', resources: [rules[0].arn] }) } }]);
    expect(runtime.invocations.snapshot().invocations).toEqual([expect.objectContaining({ source: 'events', ok: true })]);

    expect((await fetch(`${aws}/_local/rules/nope/run`, { method: 'POST' })).status).toBe(404);
  });

  it('refuses a rule with an event pattern, naming it', async () => {
    const dir = anAssembly({
      Echo: echo,
      Api: { Type: 'AWS::ApiGateway::RestApi', Properties: {} },
      OnChange: rule({ EventPattern: { source: ['aws.s3'] }, Targets: [{ Id: 'echo', Arn: { 'Fn::GetAtt': ['Echo', 'Arn'] } }] }),
    });
    mkdirSync(path.join(dir, 'asset.echo'));
    writeFileSync(path.join(dir, 'asset.echo', 'index.mjs'), 'export const handler = async () => null;');
    await expect(start(dir)).rejects.toThrow('App/OnChange: only scheduled rules run locally');
  });
});
