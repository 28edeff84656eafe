import { createHash, randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  InvalidParameterException,
  InvalidRequestException,
  ListSecretVersionIdsCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
  SecretsManagerServiceException,
} from '@aws-sdk/client-secrets-manager';
import { clientRequestTokenFor, SecretsManagerSecretStore } from '../../src/adapters/secrets-manager-secret-store.js';
import type { SecretAddress } from '../../src/domain/secret-address.js';
import type { SecretContent } from '../../src/ports/secret-store.port.js';
import {
  SecretAccessDeniedError,
  SecretAlreadyExistsError,
  SecretNotFoundError,
  SecretPendingDeletionError,
  SecretStoreBusyError,
  SecretStoreError,
} from '../../src/ports/secret-store-errors.js';
import { MOTO_ACCOUNT, MOTO_REGION, motoClientConfig, uniqueName } from '../support/moto.js';

describe('Function: clientRequestTokenFor', () => {
  it('uses a CloudFormation RequestId as it is', () => {
    expect(clientRequestTokenFor('3f6e3a6c-1f0b-4f8e-9c55-0c1d2e3f4a5b')).toBe('3f6e3a6c-1f0b-4f8e-9c55-0c1d2e3f4a5b');
  });

  it('uses keys of 32 and of 64 token characters as they are', () => {
    expect(clientRequestTokenFor('a'.repeat(32))).toBe('a'.repeat(32));
    expect(clientRequestTokenFor('B-'.repeat(32))).toBe('B-'.repeat(32));
  });

  it.each([
    ['too short', 'a'.repeat(31)],
    ['too long', 'a'.repeat(65)],
    ['characters a token may not hold', 'stack/Db/3f6e3a6c-1f0b-4f8e-9c55-0c1d2e3f4a5b'],
    ['empty', ''],
  ])('hashes a key that is %s into 64 hex characters', (_, key) => {
    const token = clientRequestTokenFor(key);

    expect(token).toBe(createHash('sha256').update(key, 'utf8').digest('hex'));
    expect(token).toMatch(/^[0-9a-f]{64}$/);
  });

  it('derives the same token from the same key and different tokens from different keys', () => {
    expect(clientRequestTokenFor('request-1')).toBe(clientRequestTokenFor('request-1'));
    expect(clientRequestTokenFor('request-1')).not.toBe(clientRequestTokenFor('request-2'));
  });
});

describe('Class: SecretsManagerSecretStore (on moto)', () => {
  const client = new SecretsManagerClient(motoClientConfig());
  const store = new SecretsManagerSecretStore(() => client);

  describe('Method: create', () => {
    it('refuses a duplicate create with the same key and value, and the overwrite that follows repeats nothing', async () => {
      const address = addressOf('duplicate');
      const key = requestId();
      const created = await store.create(address, contentOf('dup-value'), { idempotencyKey: key });

      await expect(store.create(address, contentOf('dup-value'), { idempotencyKey: key })).rejects.toBeInstanceOf(SecretAlreadyExistsError);
      const overwritten = await store.overwrite(address, contentOf('dup-value'), { idempotencyKey: key, removeTagKeys: [] });

      expect(overwritten).toEqual(created);
      const versions = await client.send(new ListSecretVersionIdsCommand({ SecretId: address.name }));
      expect(versions.Versions?.map((version) => version.VersionId)).toEqual([created.version]);
      await expect(readValue(address)).resolves.toBe('dup-value');
    });

    it('uses the derived token as the first VersionId', async () => {
      const address = addressOf('token');
      const key = requestId();

      const created = await store.create(address, contentOf('v'), { idempotencyKey: key });

      expect(created.version).toBe(key);
      expect(created.arn).toMatch(new RegExp(`^arn:aws:secretsmanager:${MOTO_REGION}:${MOTO_ACCOUNT}:secret:${address.name}-[A-Za-z0-9]{6}$`));
    });

    it('refuses a name pending deletion with SecretPendingDeletionError, even for the key that created it', async () => {
      const address = addressOf('pending');
      const key = requestId();
      await store.create(address, contentOf('old'), { idempotencyKey: key });
      await store.delete(address, { recoveryWindowInDays: 7 });

      await expect(store.create(address, contentOf('new'), { idempotencyKey: requestId() })).rejects.toBeInstanceOf(SecretPendingDeletionError);
      await expect(store.create(address, contentOf('old'), { idempotencyKey: key })).rejects.toBeInstanceOf(SecretPendingDeletionError);
    });

    it("maps moto's ResourceExistsException for a name pending deletion to SecretPendingDeletionError", async () => {
      const address = addressOf('pending-race');
      await store.create(address, contentOf('old'), { idempotencyKey: requestId() });
      await store.delete(address, { recoveryWindowInDays: 7 });
      // The secret appears pending deletion only after the adapter's own look, as in a race.
      const racing = storeOn(clientFailing('DescribeSecretCommand', notFound(), 1));

      const error = await failureOf(racing.create(address, contentOf('new'), { idempotencyKey: requestId() }));

      expect(error).toBeInstanceOf(SecretPendingDeletionError);
      expect(error.message).toMatch(new RegExp(`^Secrets Manager CreateSecret on '${address.name}' failed: ResourceExistsException: `));
      expect((error.cause as Error).name).toBe('ResourceExistsException');
    });

    it('maps ResourceExistsException for a live secret to SecretAlreadyExistsError', async () => {
      const address = addressOf('exists-race');
      await store.create(address, contentOf('first'), { idempotencyKey: requestId() });
      const racing = storeOn(clientFailing('DescribeSecretCommand', notFound(), 1));

      const error = await failureOf(racing.create(address, contentOf('second'), { idempotencyKey: requestId() }));

      expect(error).toBeInstanceOf(SecretAlreadyExistsError);
      expect(error).not.toBeInstanceOf(SecretPendingDeletionError);
      await expect(readValue(address)).resolves.toBe('first');
    });

    it.each([
      "You can't create this secret because a secret with this name is already scheduled for deletion.",
      "You can't perform this operation on the secret because it was deleted.",
    ])("maps AWS's InvalidRequestException '%s' to SecretPendingDeletionError", async (message) => {
      const address = addressOf('pending-aws');
      const refusal = new InvalidRequestException({ message, $metadata: {} });
      const aws = storeOn(clientFailing('CreateSecretCommand', refusal));

      const error = await failureOf(aws.create(address, contentOf('new'), { idempotencyKey: requestId() }));

      expect(error).toBeInstanceOf(SecretPendingDeletionError);
      expect(error.cause).toBe(refusal);
      expect(error.message).toBe(`Secrets Manager CreateSecret on '${address.name}' failed: InvalidRequestException: ${message}`);
    });

    it('waits for AWS to finish purging a force-deleted name, then creates', async () => {
      const address = addressOf('purging');
      const refusal = new InvalidRequestException({ message: "You can't perform this operation on the secret because it was deleted.", $metadata: {} });
      const sleeps: number[] = [];
      const aws = storeOn(clientFailing('CreateSecretCommand', refusal, 2), sleeps);

      const stored = await aws.create(address, contentOf('after purge'), { idempotencyKey: requestId() });

      expect(stored.arn).toContain(address.name);
      expect(sleeps).toEqual([1000, 2000]);
      await expect(readValue(address)).resolves.toBe('after purge');
    });

    it('gives up waiting for a purge after the bounded attempts', async () => {
      const address = addressOf('never-purged');
      const refusal = new InvalidRequestException({ message: "You can't perform this operation on the secret because it was deleted.", $metadata: {} });
      const sleeps: number[] = [];
      const aws = storeOn(clientFailing('CreateSecretCommand', refusal), sleeps);

      const error = await failureOf(aws.create(address, contentOf('never'), { idempotencyKey: requestId() }));

      expect(error).toBeInstanceOf(SecretPendingDeletionError);
      expect(sleeps).toEqual([1000, 2000, 3000, 4000]);
    });

    it('maps any other InvalidRequestException to a plain SecretStoreError', async () => {
      const address = addressOf('invalid');
      const refusal = new InvalidRequestException({ message: 'You tried to do something else.', $metadata: {} });
      const aws = storeOn(clientFailing('CreateSecretCommand', refusal));

      const error = await failureOf(aws.create(address, contentOf('new'), { idempotencyKey: requestId() }));

      expect(error.constructor).toBe(SecretStoreError);
      expect(error.code).toBe('STORE.FAILED');
    });
  });

  describe('Method: overwrite', () => {
    it('refuses a secret scheduled for deletion with SecretNotFoundError and writes nothing', async () => {
      const address = addressOf('overwrite-pending');
      const created = await store.create(address, contentOf('old'), { idempotencyKey: requestId() });
      await store.delete(address, { recoveryWindowInDays: 7 });

      await expect(store.overwrite(address, contentOf('new'), { idempotencyKey: requestId(), removeTagKeys: [] })).rejects.toBeInstanceOf(SecretNotFoundError);

      const versions = await client.send(new ListSecretVersionIdsCommand({ SecretId: address.name }));
      expect(versions.Versions?.map((version) => version.VersionId)).toEqual([created.version]);
    });

    it('keeps a tag that is both removed and set again', async () => {
      const address = addressOf('retag');
      await store.create(address, contentOf('v1', { env: 'dev', old: 'o' }), { idempotencyKey: requestId() });

      await store.overwrite(address, contentOf('v2', { env: 'prod' }), { idempotencyKey: requestId(), removeTagKeys: ['env', 'old'] });

      expect((await store.describe(address))?.tags).toEqual({ owner: 'integration', env: 'prod' });
    });
  });

  describe('Method: delete', () => {
    it('keeps a secret deleted with a recovery window restorable, and treats a second such delete as absent', async () => {
      const address = addressOf('window');
      await store.create(address, contentOf('keep'), { idempotencyKey: requestId() });

      await expect(store.delete(address, { recoveryWindowInDays: 7 })).resolves.toBe('deleted');
      await expect(store.delete(address, { recoveryWindowInDays: 7 })).resolves.toBe('absent');
      expect((await describeRaw(address)).DeletedDate).toBeInstanceOf(Date);

      await store.restore(address);
      expect((await store.describe(address))?.scheduledForDeletion).toBe(false);
      await expect(readValue(address)).resolves.toBe('keep');
    });

    it('treats the service refusing a second delete with a window as absent, in the AWS and the moto wording', async () => {
      const address = addressOf('window-race');
      await store.create(address, contentOf('v'), { idempotencyKey: requestId() });
      const wordings = [
        "You can't perform this operation on the secret because it was marked for deletion.",
        "You tried to perform the operation on a secret that's currently marked deleted.",
      ];

      for (const message of wordings) {
        const refusing = storeOn(clientFailing('DeleteSecretCommand', new InvalidRequestException({ message, $metadata: {} })));
        await expect(refusing.delete(address, { recoveryWindowInDays: 7 })).resolves.toBe('absent');
      }
    });

    it('purges a secret deleted without window, so its name is free at once', async () => {
      const address = addressOf('purge');
      await store.create(address, contentOf('one'), { idempotencyKey: requestId() });

      await expect(store.delete(address, { recoveryWindowInDays: 0 })).resolves.toBe('deleted');

      await expect(store.describe(address)).resolves.toBeUndefined();
      await store.create(address, contentOf('two'), { idempotencyKey: requestId() });
      await expect(readValue(address)).resolves.toBe('two');
    });

    it('purges a secret that is already scheduled for deletion when asked to delete without window', async () => {
      const address = addressOf('purge-pending');
      await store.create(address, contentOf('one'), { idempotencyKey: requestId() });
      await store.delete(address, { recoveryWindowInDays: 7 });

      await expect(store.delete(address, { recoveryWindowInDays: 0 })).resolves.toBe('deleted');

      await expect(store.describe(address)).resolves.toBeUndefined();
    });
  });

  describe('Error mapping', () => {
    it('never puts the value into the message of a failed create, and keeps the SDK error as cause', async () => {
      const address = addressOf('echo-create');
      const value = 'hunter2-"quoted"-value';
      const echo = new InvalidParameterException({ message: `The secret string ${value} contains a character sequence that is not allowed.`, $metadata: {} });
      const echoing = storeOn(clientFailing('CreateSecretCommand', echo));

      const error = await failureOf(echoing.create(address, contentOf(value), { idempotencyKey: requestId() }));

      expect(error.message).not.toContain('hunter2');
      expect(error.message).toBe(
        `Secrets Manager CreateSecret on '${address.name}' failed: InvalidParameterException: The secret string **** contains a character sequence that is not allowed.`,
      );
      expect(error.cause).toBe(echo);
      expect(echo.message).not.toContain('hunter2');
    });

    it('never puts the value into the message of a failed overwrite', async () => {
      const address = addressOf('echo-overwrite');
      await store.create(address, contentOf('old'), { idempotencyKey: requestId() });
      const value = 'n3w-s3cr3t-value';
      const echo = new InvalidParameterException({ message: `Value '${value}' at 'secretString' failed to satisfy constraint: ${value} is too long`, $metadata: {} });
      const echoing = storeOn(clientFailing('PutSecretValueCommand', echo));

      const error = await failureOf(echoing.overwrite(address, contentOf(value), { idempotencyKey: requestId(), removeTagKeys: [] }));

      expect(error).toBeInstanceOf(SecretStoreError);
      expect(error.message).toMatch(new RegExp(`^Secrets Manager PutSecretValue on '${address.name}' failed: InvalidParameterException: `));
      expect(error.message).not.toContain(value);
      expect(error.cause).toBe(echo);
    });

    it('maps AccessDeniedException to SecretAccessDeniedError', async () => {
      const address = addressOf('denied');
      const denied = serviceError('AccessDeniedException', 'User: arn:aws:sts::123456789012:assumed-role/fn is not authorized to perform: secretsmanager:DescribeSecret');
      const forbidden = storeOn(clientFailing('DescribeSecretCommand', denied));

      const error = await failureOf(forbidden.describe(address));

      expect(error).toBeInstanceOf(SecretAccessDeniedError);
      expect(error.code).toBe('STORE.ACCESS_DENIED');
      expect(error.message).toBe(`Secrets Manager DescribeSecret on '${address.name}' failed: AccessDeniedException: ${denied.message}`);
      expect(error.cause).toBe(denied);
    });

    it.each(['ThrottlingException', 'LimitExceededException'])('maps %s to SecretStoreBusyError', async (name) => {
      const address = addressOf('busy');
      const busy = storeOn(clientFailing('DescribeSecretCommand', serviceError(name, 'Rate exceeded')));

      await expect(busy.describe(address)).rejects.toBeInstanceOf(SecretStoreBusyError);
    });

    it('maps ResourceNotFoundException of a restore to SecretNotFoundError', async () => {
      await expect(store.restore(addressOf('restore-missing'))).rejects.toBeInstanceOf(SecretNotFoundError);
    });
  });

  describe('Metadata', () => {
    // @aws-sdk/client-kms is not installed, so no key is created: moto's Secrets Manager stores a
    // KmsKeyId without checking that the key exists, which is all this test needs.
    const firstKey = `arn:aws:kms:${MOTO_REGION}:${MOTO_ACCOUNT}:key/11111111-1111-4111-8111-111111111111`;
    const secondKey = `arn:aws:kms:${MOTO_REGION}:${MOTO_ACCOUNT}:key/22222222-2222-4222-8222-222222222222`;

    it('stores description, KmsKeyId and tags on create and replaces them on overwrite', async () => {
      const address = addressOf('metadata');
      await store.create(address, { value: 'v1', description: 'first', kmsKeyId: firstKey, tags: { owner: 'integration', a: '1' } }, { idempotencyKey: requestId() });

      const created = await describeRaw(address);
      expect(created).toMatchObject({ Description: 'first', KmsKeyId: firstKey });
      expect(created.Tags).toEqual(expect.arrayContaining([{ Key: 'owner', Value: 'integration' }, { Key: 'a', Value: '1' }]));

      await store.overwrite(address, { value: 'v2', description: 'second', kmsKeyId: secondKey, tags: { b: '2' } }, { idempotencyKey: requestId(), removeTagKeys: ['a'] });

      const overwritten = await describeRaw(address);
      expect(overwritten).toMatchObject({ Description: 'second', KmsKeyId: secondKey });
      expect((await store.describe(address))?.tags).toEqual({ owner: 'integration', b: '2' });
      await expect(readValue(address)).resolves.toBe('v2');
    });

    it('leaves description and KmsKeyId alone when an overwrite gives neither', async () => {
      const address = addressOf('metadata-kept');
      await store.create(address, { value: 'v1', description: 'kept', kmsKeyId: firstKey, tags: {} }, { idempotencyKey: requestId() });
      const recording = recordingClient();

      await new SecretsManagerSecretStore(() => recording.client).overwrite(address, { value: 'v2', tags: {} }, { idempotencyKey: requestId(), removeTagKeys: [] });

      expect(recording.commands).toEqual(['DescribeSecretCommand', 'PutSecretValueCommand']);
      expect(await describeRaw(address)).toMatchObject({ Description: 'kept', KmsKeyId: firstKey });
    });
  });

  async function describeRaw(address: SecretAddress) {
    return client.send(new DescribeSecretCommand({ SecretId: address.name }));
  }

  async function readValue(address: SecretAddress): Promise<string | undefined> {
    return (await client.send(new GetSecretValueCommand({ SecretId: address.name }))).SecretString;
  }
});

function addressOf(label: string): SecretAddress {
  return { backend: 'secretsmanager', partition: 'aws', accountId: MOTO_ACCOUNT, region: MOTO_REGION, name: `integration/${uniqueName(label)}` };
}

function contentOf(value: string, tags: Record<string, string> = {}): SecretContent {
  return { value, description: 'integration test', tags: { owner: 'integration', ...tags } };
}

/** A fresh CloudFormation-style RequestId. */
function requestId(): string {
  return randomUUID();
}

function storeOn(failing: SecretsManagerClient, sleeps: number[] = []): SecretsManagerSecretStore {
  return new SecretsManagerSecretStore(() => failing, { sleep: async (ms) => void sleeps.push(ms) });
}

/** A moto client on which `commandName` fails with `error` (`times` times) before reaching the server. */
function clientFailing(commandName: string, error: Error, times = Number.POSITIVE_INFINITY): SecretsManagerClient {
  const failing = new SecretsManagerClient(motoClientConfig());
  let left = times;
  failing.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === commandName && left > 0) {
        left -= 1;
        throw error;
      }
      return next(args);
    },
    { step: 'initialize', name: 'injectFault' },
  );
  return failing;
}

/** A moto client that remembers the name of every command sent through it. */
function recordingClient(): { client: SecretsManagerClient; commands: string[] } {
  const recording = { client: new SecretsManagerClient(motoClientConfig()), commands: [] as string[] };
  recording.client.middlewareStack.add(
    (next, context) => async (args) => {
      recording.commands.push(context.commandName ?? 'unknown');
      return next(args);
    },
    { step: 'initialize', name: 'recordCommands' },
  );
  return recording;
}

function notFound(): ResourceNotFoundException {
  return new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret.", $metadata: {} });
}

/** A service error the SDK has no class for, as it surfaces for AccessDeniedException or ThrottlingException. */
function serviceError(name: string, message: string): SecretsManagerServiceException {
  return new SecretsManagerServiceException({ name, message, $fault: 'client', $metadata: {} });
}

async function failureOf(promise: Promise<unknown>): Promise<SecretStoreError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SecretStoreError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}
