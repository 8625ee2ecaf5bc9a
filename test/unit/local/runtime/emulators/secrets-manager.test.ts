import {
  BatchGetSecretValueCommand,
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerClient,
  UpdateSecretCommand,
} from '@aws-sdk/client-secrets-manager';
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import {
  createSecretsManagerEmulator,
  type SecretsManagerEmulator,
} from '../../../../../local/runtime/emulators/secrets-manager';
import { LOCAL_CLIENT_CONFIG, serveAwsService, type ServedService } from './serve-aws-service';

const ARN_PATTERN = /^arn:aws:secretsmanager:us-east-1:000000000000:secret:payments\/acmepay-[A-Za-z0-9]{6}$/;

describe('Secrets Manager emulator', () => {
  let emulator: SecretsManagerEmulator;
  let served: ServedService;
  let client: SecretsManagerClient;
  let seededArn: string;

  beforeAll(async () => {
    emulator = createSecretsManagerEmulator();
    seededArn = emulator.createSecret({
      name: 'payments/acmepay',
      secretString: '{"apiKey":"k-1"}',
      description: 'AcmePay credentials',
    }).arn;
    served = await serveAwsService(emulator);
    client = new SecretsManagerClient({ ...LOCAL_CLIENT_CONFIG, endpoint: served.url });
  });

  afterAll(async () => {
    client?.destroy();
    await served?.close();
  });

  it('gives seeded secrets an AWS-shaped ARN with a 6-character suffix', () => {
    expect(seededArn).toMatch(ARN_PATTERN);
  });

  it('keeps the ARN the runtime resolved for a template secret', async () => {
    const arn = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:shipping/acme-AbC123';
    emulator.createSecret({ name: 'shipping/acme', secretString: 's', arn });

    const value = await client.send(new GetSecretValueCommand({ SecretId: arn }));

    expect(value).toMatchObject({ ARN: arn, Name: 'shipping/acme', SecretString: 's' });
  });

  it.each([
    ['name', () => 'payments/acmepay'],
    ['full ARN', () => seededArn],
    ['partial ARN', () => seededArn.slice(0, -7)],
  ])('reads the current value by %s', async (_kind, secretId) => {
    const value = await client.send(new GetSecretValueCommand({ SecretId: secretId() }));

    expect(value).toMatchObject({
      ARN: seededArn,
      Name: 'payments/acmepay',
      SecretString: '{"apiKey":"k-1"}',
      VersionStages: ['AWSCURRENT'],
    });
    expect(value.CreatedDate).toBeInstanceOf(Date);
    expect(value.VersionId).toEqual(expect.any(String));
  });

  it('answers ResourceNotFoundException for an unknown secret', async () => {
    await expect(client.send(new GetSecretValueCommand({ SecretId: 'nope' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it('rejects a second secret with the same name', async () => {
    await expect(
      client.send(new CreateSecretCommand({ Name: 'payments/acmepay', SecretString: 'x' })),
    ).rejects.toBeInstanceOf(ResourceExistsException);
  });

  it('moves AWSCURRENT to a new version and keeps the old one as AWSPREVIOUS', async () => {
    await client.send(new CreateSecretCommand({ Name: 'rotating', SecretString: 'v1' }));
    const first = await client.send(new GetSecretValueCommand({ SecretId: 'rotating' }));

    const put = await client.send(new PutSecretValueCommand({ SecretId: 'rotating', SecretString: 'v2' }));

    expect(put.VersionStages).toEqual(['AWSCURRENT']);
    const current = await client.send(new GetSecretValueCommand({ SecretId: 'rotating' }));
    const previous = await client.send(new GetSecretValueCommand({ SecretId: 'rotating', VersionStage: 'AWSPREVIOUS' }));
    const byId = await client.send(new GetSecretValueCommand({ SecretId: 'rotating', VersionId: first.VersionId }));
    expect(current.SecretString).toBe('v2');
    expect(previous.SecretString).toBe('v1');
    expect(byId.VersionStages).toEqual(['AWSPREVIOUS']);
  });

  it('updates description and value with UpdateSecret and reports stages in DescribeSecret', async () => {
    const created = await client.send(new CreateSecretCommand({ Name: 'shipping/globex', SecretString: 'a' }));

    const updated = await client.send(
      new UpdateSecretCommand({ SecretId: created.ARN, Description: 'Globex key', SecretString: 'b' }),
    );

    const described = await client.send(new DescribeSecretCommand({ SecretId: 'shipping/globex' }));
    expect(described.Description).toBe('Globex key');
    expect(described.VersionIdsToStages).toEqual({
      [created.VersionId as string]: ['AWSPREVIOUS'],
      [updated.VersionId as string]: ['AWSCURRENT'],
    });
  });

  it('reads several secrets at once and reports the missing ones as errors', async () => {
    const batch = await client.send(new BatchGetSecretValueCommand({ SecretIdList: ['payments/acmepay', 'missing'] }));

    expect(batch.SecretValues?.map((value) => value.SecretString)).toEqual(['{"apiKey":"k-1"}']);
    expect(batch.Errors).toEqual([expect.objectContaining({ SecretId: 'missing', ErrorCode: 'ResourceNotFoundException' })]);
  });

  it('lists secrets filtered by name prefix', async () => {
    const listed = await client.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['payments/'] }] }));

    expect(listed.SecretList?.map((secret) => secret.Name)).toEqual(['payments/acmepay']);
  });

  it('serves Powertools getSecret through AWS_ENDPOINT_URL_SECRETS_MANAGER', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_SECRETS_MANAGER: served.url,
      AWS_REGION: LOCAL_CLIENT_CONFIG.region,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    });
    try {
      await expect(getSecret('payments/acmepay', { transform: 'json' })).resolves.toEqual({ apiKey: 'k-1' });
    } finally {
      process.env = saved;
    }
  });
});
