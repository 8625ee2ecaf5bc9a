/**
 * Secrets Manager emulator (awsJson1_1, `X-Amz-Target: secretsmanager.<Action>`), in memory.
 * Speaks enough of the API for the SDK v3 client and Powertools Parameters: reads by name, full or partial ARN,
 * version stages (AWSCURRENT / AWSPREVIOUS), batch reads, listing and writes.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION, type AwsService } from '../contracts';
import { AwsServiceError, serveAwsJsonAction, targetAction } from './aws-protocol';

const TARGET_PREFIX = 'secretsmanager';
const CONTENT_TYPE = 'application/x-amz-json-1.1';
const CURRENT = 'AWSCURRENT';
const PREVIOUS = 'AWSPREVIOUS';
const ARN_PREFIX = `arn:aws:secretsmanager:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:secret:`;
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const NAME_PATTERN = /^[A-Za-z0-9/_+=.@-]{1,512}$/;

export interface CreateLocalSecret {
  name: string;
  secretString: string;
  description?: string;
  /** The ARN the template's Refs resolved to, so they find the secret; `<name>-<6 random characters>` when absent. */
  arn?: string;
}

/** The Secrets Manager wire service plus the seeding call the runtime uses for the template's secrets. */
export interface SecretsManagerEmulator extends AwsService {
  /** Creates a secret with one AWSCURRENT version; throws when the name is taken. */
  createSecret(secret: CreateLocalSecret): { arn: string };
}

interface SecretVersion {
  id: string;
  secretString?: string;
  /** Base64, as it travels on the wire. */
  secretBinary?: string;
  createdDate: number;
  stages: string[];
}

interface Secret {
  arn: string;
  name: string;
  description?: string;
  tags: { Key: string; Value: string }[];
  createdDate: number;
  lastChangedDate: number;
  lastAccessedDate?: number;
  versions: Map<string, SecretVersion>;
}

interface SecretValueInput {
  secretString?: string;
  secretBinary?: string;
  versionId?: string;
  stages?: string[];
}

type Request = Record<string, unknown>;

/** Creates an empty Secrets Manager emulator. */
export function createSecretsManagerEmulator(): SecretsManagerEmulator {
  const secrets = new Map<string, Secret>(); // by name

  const actions: Record<string, (input: Request) => unknown> = {
    CreateSecret: (input) => {
      const secret = addSecret(requiredString(input, 'Name'), {
        description: optionalString(input, 'Description'),
        tags: tagList(input.Tags),
      });
      const value = valueInput(input);
      const version = value ? addVersion(secret, value) : undefined;
      return { ARN: secret.arn, Name: secret.name, VersionId: version?.id };
    },
    GetSecretValue: (input) => {
      const secret = findSecret(requiredString(input, 'SecretId'));
      const version = findVersion(secret, optionalString(input, 'VersionId'), optionalString(input, 'VersionStage'));
      secret.lastAccessedDate = startOfDay();
      return secretValue(secret, version);
    },
    BatchGetSecretValue: (input) => batchGetSecretValue(input),
    DescribeSecret: (input) => describe(findSecret(requiredString(input, 'SecretId'))),
    ListSecrets: (input) => {
      const matching = [...secrets.values()].filter((secret) => matchesFilters(secret, input.Filters));
      const { items, nextToken } = paginate(matching, input);
      return { SecretList: items.map(describe), NextToken: nextToken };
    },
    PutSecretValue: (input) => {
      const secret = findSecret(requiredString(input, 'SecretId'));
      const value = valueInput(input);
      if (!value) throw invalidParameter('You must provide either SecretString or SecretBinary.');
      const version = addVersion(secret, value);
      return { ARN: secret.arn, Name: secret.name, VersionId: version.id, VersionStages: version.stages };
    },
    UpdateSecret: (input) => {
      const secret = findSecret(requiredString(input, 'SecretId'));
      const description = optionalString(input, 'Description');
      if (description !== undefined) secret.description = description;
      secret.lastChangedDate = nowSeconds();
      const value = valueInput(input);
      const version = value ? addVersion(secret, value) : undefined;
      return { ARN: secret.arn, Name: secret.name, VersionId: version?.id };
    },
  };

  function addSecret(name: string, details: { description?: string; tags: Secret['tags']; arn?: string }): Secret {
    if (!NAME_PATTERN.test(name)) {
      throw invalidParameter(`Invalid name ${name}: use 1-512 of the characters A-Z a-z 0-9 /_+=.@-`);
    }
    if (secrets.has(name)) {
      throw new AwsServiceError('ResourceExistsException', `The operation failed because the secret ${name} already exists.`);
    }
    const now = nowSeconds();
    const secret: Secret = {
      arn: details.arn ?? `${ARN_PREFIX}${name}-${randomSuffix()}`,
      name,
      description: details.description,
      tags: details.tags,
      createdDate: now,
      lastChangedDate: now,
      versions: new Map(),
    };
    secrets.set(name, secret);
    return secret;
  }

  /** SecretId may be the name, the full ARN, or the ARN without its 6-character random suffix. */
  function findSecret(secretId: string): Secret {
    const found =
      secrets.get(secretId) ??
      [...secrets.values()].find(
        (secret) => secret.arn === secretId || `${ARN_PREFIX}${secret.name}` === secretId,
      );
    if (!found) throw new AwsServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    return found;
  }

  function batchGetSecretValue(input: Request): unknown {
    const ids = input.SecretIdList;
    if (Array.isArray(ids) && input.Filters !== undefined) {
      throw invalidParameter('Specify either SecretIdList or Filters, not both.');
    }
    if (Array.isArray(ids)) {
      const values: unknown[] = [];
      const errors: unknown[] = [];
      for (const id of ids) {
        try {
          const secret = findSecret(String(id));
          values.push(secretValue(secret, findVersion(secret, undefined, undefined)));
        } catch (error) {
          if (!(error instanceof AwsServiceError)) throw error;
          errors.push({ SecretId: String(id), ErrorCode: error.code, Message: error.message });
        }
      }
      return { SecretValues: values, Errors: errors };
    }
    const matching = [...secrets.values()].filter(
      (secret) => matchesFilters(secret, input.Filters) && versionWithStage(secret, CURRENT),
    );
    const { items, nextToken } = paginate(matching, input);
    return {
      SecretValues: items.map((secret) => secretValue(secret, findVersion(secret, undefined, undefined))),
      Errors: [],
      NextToken: nextToken,
    };
  }

  return {
    name: 'secretsmanager',
    matches: (req) => targetAction(req, TARGET_PREFIX) !== undefined,
    handle: (req: IncomingMessage, body: Buffer, res: ServerResponse) =>
      serveAwsJsonAction(req, body, res, {
        targetPrefix: TARGET_PREFIX,
        errorStyle: { contentType: CONTENT_TYPE },
        actions,
        unsupported: (action) => new AwsServiceError('UnknownOperationException', `The local Secrets Manager does not support ${action}`),
      }),
    createSecret: ({ name, secretString, description, arn }) => {
      const secret = addSecret(name, { description, tags: [], arn });
      addVersion(secret, { secretString });
      return { arn: secret.arn };
    },
  };
}

/**
 * Adds a version. Stages default to AWSCURRENT; moving AWSCURRENT demotes the old current version to AWSPREVIOUS.
 * A repeated ClientRequestToken with the same value is idempotent, with another value it is a conflict (as in AWS).
 */
function addVersion(secret: Secret, value: SecretValueInput): SecretVersion {
  const id = value.versionId ?? randomUUID();
  const existing = secret.versions.get(id);
  if (existing) {
    if (existing.secretString === value.secretString && existing.secretBinary === value.secretBinary) return existing;
    throw new AwsServiceError(
      'ResourceExistsException',
      `You can't modify an existing version, you can only create a new version. VersionId: ${id}`,
    );
  }
  const stages = value.stages ?? [CURRENT];
  if (stages.includes(CURRENT)) {
    const previousCurrent = versionWithStage(secret, CURRENT);
    removeStage(secret, PREVIOUS);
    if (previousCurrent) {
      previousCurrent.stages = previousCurrent.stages.filter((stage) => stage !== CURRENT);
      previousCurrent.stages.push(PREVIOUS);
    }
  }
  for (const stage of stages) if (stage !== CURRENT) removeStage(secret, stage);
  const version: SecretVersion = {
    id,
    secretString: value.secretString,
    secretBinary: value.secretBinary,
    createdDate: nowSeconds(),
    stages: [...stages],
  };
  secret.versions.set(id, version);
  secret.lastChangedDate = version.createdDate;
  return version;
}

function removeStage(secret: Secret, stage: string): void {
  for (const version of secret.versions.values()) version.stages = version.stages.filter((s) => s !== stage);
}

function versionWithStage(secret: Secret, stage: string): SecretVersion | undefined {
  return [...secret.versions.values()].find((version) => version.stages.includes(stage));
}

function findVersion(secret: Secret, versionId: string | undefined, stage: string | undefined): SecretVersion {
  if (versionId !== undefined) {
    const version = secret.versions.get(versionId);
    if (!version || (stage !== undefined && !version.stages.includes(stage))) {
      throw new AwsServiceError(
        'ResourceNotFoundException',
        `Secrets Manager can't find the specified secret value for VersionId: ${versionId}`,
      );
    }
    return version;
  }
  const label = stage ?? CURRENT;
  const version = versionWithStage(secret, label);
  if (!version) {
    throw new AwsServiceError(
      'ResourceNotFoundException',
      `Secrets Manager can't find the specified secret value for staging label: ${label}`,
    );
  }
  return version;
}

function secretValue(secret: Secret, version: SecretVersion): Record<string, unknown> {
  return {
    ARN: secret.arn,
    Name: secret.name,
    VersionId: version.id,
    SecretString: version.secretString,
    SecretBinary: version.secretBinary,
    VersionStages: version.stages,
    CreatedDate: version.createdDate,
  };
}

function describe(secret: Secret): Record<string, unknown> {
  const stagesByVersion = Object.fromEntries(
    [...secret.versions.values()].filter((v) => v.stages.length > 0).map((v) => [v.id, v.stages]),
  );
  return {
    ARN: secret.arn,
    Name: secret.name,
    Description: secret.description,
    CreatedDate: secret.createdDate,
    LastChangedDate: secret.lastChangedDate,
    LastAccessedDate: secret.lastAccessedDate,
    Tags: secret.tags.length > 0 ? secret.tags : undefined,
    // DescribeSecret calls it VersionIdsToStages, ListSecrets SecretVersionsToStages; the SDK reads only its own.
    VersionIdsToStages: stagesByVersion,
    SecretVersionsToStages: stagesByVersion,
  };
}

/** ListSecrets / BatchGetSecretValue filters; `name`, `description` and `tag-key` match prefixes, `all` any of them. */
function matchesFilters(secret: Secret, filters: unknown): boolean {
  if (!Array.isArray(filters)) return true;
  return filters.every((filter: { Key?: unknown; Values?: unknown }) => {
    const values = Array.isArray(filter.Values) ? filter.Values.map(String) : [];
    const fields: Record<string, string[]> = {
      name: [secret.name],
      description: [secret.description ?? ''],
      'tag-key': secret.tags.map((tag) => tag.Key),
      'tag-value': secret.tags.map((tag) => tag.Value),
    };
    const candidates = filter.Key === 'all' ? Object.values(fields).flat() : (fields[String(filter.Key)] ?? []);
    return values.some((value) => {
      const negated = value.startsWith('!');
      const prefix = negated ? value.slice(1) : value;
      const hit = candidates.some((candidate) => candidate.startsWith(prefix));
      return negated ? !hit : hit;
    });
  });
}

/** NextToken is the index of the next item, opaque to clients. */
function paginate<T>(items: T[], input: Request): { items: T[]; nextToken?: string } {
  const start = typeof input.NextToken === 'string' ? Number.parseInt(input.NextToken, 10) || 0 : 0;
  const size = typeof input.MaxResults === 'number' && input.MaxResults > 0 ? input.MaxResults : 100;
  const end = start + size;
  return { items: items.slice(start, end), nextToken: end < items.length ? String(end) : undefined };
}

function valueInput(input: Request): SecretValueInput | undefined {
  const secretString = optionalString(input, 'SecretString');
  const secretBinary = optionalString(input, 'SecretBinary');
  if (secretString === undefined && secretBinary === undefined) return undefined;
  if (secretString !== undefined && secretBinary !== undefined) {
    throw invalidParameter('You can specify SecretString or SecretBinary, but not both.');
  }
  const stages = Array.isArray(input.VersionStages) ? input.VersionStages.map(String) : undefined;
  return { secretString, secretBinary, versionId: optionalString(input, 'ClientRequestToken'), stages };
}

function tagList(tags: unknown): Secret['tags'] {
  if (!Array.isArray(tags)) return [];
  return tags.map((tag: { Key?: unknown; Value?: unknown }) => ({ Key: String(tag.Key), Value: String(tag.Value ?? '') }));
}

function requiredString(input: Request, field: string): string {
  const value = input[field];
  if (typeof value !== 'string' || value === '') throw invalidParameter(`${field} is required.`);
  return value;
}

function optionalString(input: Request, field: string): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidParameter(`${field} must be a string.`);
  return value;
}

function invalidParameter(message: string): AwsServiceError {
  return new AwsServiceError('InvalidParameterException', message);
}

function randomSuffix(): string {
  return [...randomBytes(6)].map((byte) => SUFFIX_ALPHABET[byte % SUFFIX_ALPHABET.length]).join('');
}

function nowSeconds(): number {
  return Date.now() / 1000;
}

/** AWS records LastAccessedDate rounded down to the day. */
function startOfDay(): number {
  const now = new Date();
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) / 1000;
}
