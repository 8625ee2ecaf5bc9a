import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { addCommerceHub, CommerceHubStacks } from '../../lib/app';
import { ENVIRONMENTS, EnvironmentName } from '../../lib/config/environments';
import { cdkJsonContext } from '../../local/runtime/synth';

export interface SynthesizedEnvironment {
  readonly app: App;
  readonly stacks: CommerceHubStacks;
  readonly stateful: Template;
  readonly service: Template;
}

/** Builds one environment's stacks without bundling (infra tests assert the template, not the code). */
export const synthEnvironment = (name: EnvironmentName): SynthesizedEnvironment => {
  // cdk.json's feature flags, as `cdk deploy` applies them (they change the template: one IAM policy per statement…).
  const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } });
  const stacks = addCommerceHub(app, ENVIRONMENTS[name]);
  return { app, stacks, stateful: Template.fromStack(stacks.stateful), service: Template.fromStack(stacks.service) };
};
