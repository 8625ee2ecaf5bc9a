import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { EnvironmentConfig } from './config/environments';
import { ServiceStack } from './stacks/service-stack';
import { StatefulStack } from './stacks/stateful-stack';

export interface CommerceHubStacks {
  readonly stateful: StatefulStack;
  readonly service: ServiceStack;
}

/** Adds one environment's stacks (`CommerceHub-<env>-Stateful` and `-Service`) to an app. */
export const addCommerceHub = (app: App, config: EnvironmentConfig): CommerceHubStacks => {
  const env = config.account || config.region ? { account: config.account, region: config.region } : undefined;
  const prefix = `CommerceHub-${config.name}`;
  const stateful = new StatefulStack(app, `${prefix}-Stateful`, { config, env, description: `Commerce Hub data (${config.name})` });
  const service = new ServiceStack(app, `${prefix}-Service`, { config, env, data: stateful, description: `Commerce Hub API and functions (${config.name})` });
  return { stateful, service };
};

/** Runs cdk-nag's AwsSolutions pack over the app; synth fails on any finding that is not acknowledged with a reason. */
export const enableNag = (app: App): void => {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
};
