#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { addCommerceHub, enableNag } from '../lib/app';
import { environmentConfig } from '../lib/config/environments';

// The only reader of the environment choice: `cdk deploy -c env=staging --all`.
const app = new App();
addCommerceHub(app, environmentConfig(app.node.tryGetContext('env') ?? 'dev'));
enableNag(app);
app.synth();
