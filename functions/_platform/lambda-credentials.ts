import * as z from 'zod/mini';
import { loadConfig } from './config';

const lambdaCredentialsSchema = z.object({
  AWS_ACCESS_KEY_ID: z.string().check(z.minLength(1)),
  AWS_SECRET_ACCESS_KEY: z.string().check(z.minLength(1)),
  AWS_SESSION_TOKEN: z.optional(z.string()),
});

/** Credentials as the SDK's identity resolver wants them. */
export interface LambdaCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/**
 * A drop-in for `@aws-sdk/credential-provider-node`'s `defaultProvider`, for bundles only: a Lambda function always
 * receives its role's credentials in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN (local mode sets
 * them too), so the default chain's SSO, STS, INI, process and IMDS providers, about 135 KB of every minified bundle,
 * are never used. Wire it with esbuild `--alias:@aws-sdk/credential-provider-node=./functions/_platform/lambda-credentials.ts`.
 * Throws ConfigError naming the missing variables.
 */
export const defaultProvider =
  () =>
  async (): Promise<LambdaCredentials> => {
    const env = loadConfig(lambdaCredentialsSchema);
    return {
      accessKeyId: env.AWS_ACCESS_KEY_ID,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
      ...(env.AWS_SESSION_TOKEN && { sessionToken: env.AWS_SESSION_TOKEN }),
    };
  };
