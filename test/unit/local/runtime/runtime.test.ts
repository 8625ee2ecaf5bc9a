import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startLocalRuntime } from '../../../../local/runtime/runtime';
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
