import { ConfigError } from '../../../../functions/_platform/config';
import { defaultProvider } from '../../../../functions/_platform/lambda-credentials';

describe('the Lambda credentials provider', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('answers the role credentials Lambda puts in the environment', async () => {
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'ASIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'token' });

    await expect(defaultProvider()()).resolves.toEqual({ accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' });
  });

  it('works without a session token (long-term keys, as local mode may use)', async () => {
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret' });
    delete process.env.AWS_SESSION_TOKEN;

    await expect(defaultProvider()()).resolves.toEqual({ accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret' });
  });

  it('names the missing variables', async () => {
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;

    await expect(defaultProvider()()).rejects.toThrow(ConfigError);
    await expect(defaultProvider()()).rejects.toThrow(/AWS_ACCESS_KEY_ID: missing.*AWS_SECRET_ACCESS_KEY: missing/);
  });
});
