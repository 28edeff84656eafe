import { inspect } from 'node:util';
import { afterAll, describe, expect, it } from '@jest/globals';
import {
  DescribeParametersCommand,
  GetParameterCommand,
  ListTagsForResourceCommand,
  SSMClient,
  SSMServiceException,
  TooManyUpdates,
} from '@aws-sdk/client-ssm';
import { SsmSecretStore, type SsmSecretStoreOptions } from '../../src/adapters/ssm-secret-store.js';
import type { SecretAddress } from '../../src/domain/secret-address.js';
import type { SecretContent } from '../../src/ports/secret-store.port.js';
import {
  SecretAccessDeniedError,
  SecretNotFoundError,
  SecretStoreBusyError,
  SecretStoreError,
} from '../../src/ports/secret-store-errors.js';
import { MOTO_ACCOUNT, MOTO_REGION, motoClientConfig, uniqueName } from '../support/moto.js';

const clients: SSMClient[] = [];
afterAll(() => {
  for (const client of clients) client.destroy();
});

function newClient(): SSMClient {
  const client = new SSMClient(motoClientConfig());
  clients.push(client);
  return client;
}

/** Inspects moto directly, never through the store under test. */
const inspector = newClient();

/**
 * A store whose client fails chosen commands before they leave the process. The middleware sits in
 * the initialize step, outside the SDK's retry loop, so each injected error is one adapter attempt.
 */
function storeWithFaults(faults: Record<string, () => Error | undefined>, options: SsmSecretStoreOptions = {}) {
  const client = newClient();
  const sent: Array<{ command: string; input: unknown }> = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? 'unknown';
      sent.push({ command, input: args.input });
      const error = faults[command]?.();
      if (error) throw error;
      return next(args);
    },
    { step: 'initialize', name: 'faultInjection' },
  );
  const delays: number[] = [];
  const store = new SsmSecretStore(() => client, { sleep: async (ms) => void delays.push(ms), ...options });
  const timesSent = (command: string): number => sent.filter((call) => call.command === command).length;
  return { store, sent, delays, timesSent };
}

function failTimes(times: number, makeError: () => Error): () => Error | undefined {
  let remaining = times;
  return () => (remaining-- > 0 ? makeError() : undefined);
}

function tooManyUpdates(): TooManyUpdates {
  return new TooManyUpdates({ message: 'There are concurrent updates for the resource that you are trying to update.', $metadata: {} });
}

function serviceError(name: string, message: string): SSMServiceException {
  return new SSMServiceException({ name, $fault: 'client', message, $metadata: {} });
}

function address(label: string): SecretAddress {
  return { backend: 'ssm', partition: 'aws', accountId: MOTO_ACCOUNT, region: MOTO_REGION, name: `/integration/${uniqueName(label)}` };
}

function content(value: string, tags: Record<string, string> = { owner: 'test' }, extra: Partial<SecretContent> = {}): SecretContent {
  return { value, tags, ...extra };
}

const write = { idempotencyKey: 'not-used-by-ssm' };

async function parameterMetadata(name: string) {
  const output = await inspector.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: [name] }] }));
  return output.Parameters?.[0];
}

async function decryptedValue(name: string): Promise<string | undefined> {
  return (await inspector.send(new GetParameterCommand({ Name: name, WithDecryption: true }))).Parameter?.Value;
}

async function tagsOf(name: string): Promise<Record<string, string>> {
  const output = await inspector.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: name }));
  return Object.fromEntries((output.TagList ?? []).map((tag) => [tag.Key, tag.Value]));
}

describe('SsmSecretStore on moto', () => {
  describe('TooManyUpdates', () => {
    it('retries a create with growing, jittered waits and then succeeds', async () => {
      const { store, delays, timesSent } = storeWithFaults({ PutParameterCommand: failTimes(2, tooManyUpdates) });
      const target = address('retry-create');

      const stored = await store.create(target, content('retried-value'), write);

      expect(stored.version).toBe('1');
      expect(timesSent('PutParameterCommand')).toBe(3);
      expect(delays).toHaveLength(2);
      expect(delays[0]).toBeGreaterThanOrEqual(100);
      expect(delays[0]).toBeLessThanOrEqual(200);
      expect(delays[1]).toBeGreaterThanOrEqual(200);
      expect(delays[1]).toBeLessThanOrEqual(400);
      await expect(decryptedValue(target.name)).resolves.toBe('retried-value');
    });

    it.each([
      ['PutParameterCommand', 'overwrite'],
      ['AddTagsToResourceCommand', 'overwrite'],
      ['RemoveTagsFromResourceCommand', 'overwrite'],
      ['DeleteParameterCommand', 'delete'],
    ] as const)('retries %s during %s', async (command, operation) => {
      const { store, timesSent } = storeWithFaults({ [command]: failTimes(2, tooManyUpdates) });
      const target = address(`retry-${operation}`);
      await store.create(target, content('v1', { owner: 'test', stale: 'x' }), write);

      if (operation === 'overwrite') {
        const stored = await store.overwrite(target, content('v2', { owner: 'test', fresh: 'y' }), { ...write, removeTagKeys: ['stale'] });
        expect(stored.version).toBe('2');
        await expect(decryptedValue(target.name)).resolves.toBe('v2');
        await expect(tagsOf(target.name)).resolves.toEqual({ owner: 'test', fresh: 'y' });
      } else {
        await expect(store.delete(target, { recoveryWindowInDays: 0 })).resolves.toBe('deleted');
        await expect(store.describe(target)).resolves.toBeUndefined();
      }
      expect(timesSent(command)).toBe(operation === 'overwrite' && command === 'PutParameterCommand' ? 4 : 3);
    });

    it('gives up after the bounded attempts with SecretStoreBusyError caused by the SDK error', async () => {
      const { store, delays, timesSent } = storeWithFaults({ PutParameterCommand: () => tooManyUpdates() }, { maxUpdateAttempts: 3 });
      const target = address('busy');

      const error = await store.create(target, content('never-stored'), write).catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(SecretStoreBusyError);
      expect((error as SecretStoreBusyError).code).toBe('STORE.BUSY');
      expect((error as SecretStoreBusyError).cause).toBeInstanceOf(TooManyUpdates);
      expect((error as SecretStoreBusyError).message).toMatch(new RegExp(`^SSM PutParameter on '${target.name}' failed: TooManyUpdates: .+ \\(gave up after 3 attempts\\)$`));
      expect(timesSent('PutParameterCommand')).toBe(3);
      expect(delays).toHaveLength(2);
      await expect(store.describe(target)).resolves.toBeUndefined();
    });

    it('makes 5 attempts by default', async () => {
      const { store, timesSent } = storeWithFaults({ DeleteParameterCommand: () => tooManyUpdates() });

      await expect(store.delete(address('default-attempts'), { recoveryWindowInDays: 0 })).rejects.toBeInstanceOf(SecretStoreBusyError);

      expect(timesSent('DeleteParameterCommand')).toBe(5);
    });

    it('keeps every wait within its exponential step, capped at 3 s', async () => {
      const { store, delays } = storeWithFaults({ DeleteParameterCommand: () => tooManyUpdates() }, { maxUpdateAttempts: 8 });

      await expect(store.delete(address('backoff'), { recoveryWindowInDays: 0 })).rejects.toBeInstanceOf(SecretStoreBusyError);

      expect(delays).toHaveLength(7);
      delays.forEach((delay, index) => {
        const step = Math.min(3_000, 200 * 2 ** index);
        expect(delay).toBeGreaterThanOrEqual(step / 2);
        expect(delay).toBeLessThanOrEqual(step);
      });
    });
  });

  it('reports throttling the SDK could not get past as SecretStoreBusyError without retrying it again', async () => {
    const { store, timesSent } = storeWithFaults({ PutParameterCommand: () => serviceError('ThrottlingException', 'Rate exceeded') });

    const error = await store.create(address('throttled'), content('v'), write).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(SecretStoreBusyError);
    expect((error as SecretStoreBusyError).cause).toMatchObject({ name: 'ThrottlingException' });
    expect(timesSent('PutParameterCommand')).toBe(1);
  });

  describe('keeps the value out of every message', () => {
    const value = 'hunter2-"quoted"-secret';
    const echoes: Array<[string, string]> = [
      ['an exact validation echo', `1 validation error detected: Value '${value}' at 'value' failed to satisfy constraint: Member must have length less than or equal to 4096`],
      ['a truncated validation echo', `1 validation error detected: Value '${value.slice(0, 10)}…' at 'value' failed to satisfy constraint: Member must have length less than or equal to 4096`],
      ['the value anywhere in the text', `Parameter value ${value} contains a reference {{ that is not allowed`],
      ['a JSON-escaped echo', `Invalid request body {"Value":${JSON.stringify(value)}}`],
    ];

    it.each(echoes)('scrubs %s from a failed create', async (_case, message) => {
      const { store } = storeWithFaults({ PutParameterCommand: () => serviceError('ValidationException', message) });
      const target = address('validation');

      const error = await store.create(target, content(value), write).catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(SecretStoreError);
      expect((error as SecretStoreError).code).toBe('STORE.FAILED');
      expect((error as SecretStoreError).message).toMatch(new RegExp(`^SSM PutParameter on '${target.name}' failed: ValidationException: `));
      expect((error as SecretStoreError).cause).toBeInstanceOf(SSMServiceException);
      // Logging the error prints its cause chain too, so the SDK error must be clean as well.
      const printed = inspect(error, { depth: 5 });
      expect(printed).not.toContain('hunter2');
      expect(printed).toContain('ValidationException');
    });

    it('scrubs a failed overwrite too', async () => {
      const target = address('validation-overwrite');
      await storeWithFaults({}).store.create(target, content('original'), write);
      const echo = `1 validation error detected: Value '${value}' at 'value' failed to satisfy constraint`;
      const { store } = storeWithFaults({ PutParameterCommand: () => serviceError('ValidationException', echo) });

      const error = await store.overwrite(target, content(value), { ...write, removeTagKeys: [] }).catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(SecretStoreError);
      expect((error as Error).message).toBe(`SSM PutParameter on '${target.name}' failed: ValidationException: 1 validation error detected: Value '****' at 'value' failed to satisfy constraint`);
      expect(inspect(error, { depth: 5 })).not.toContain('hunter2');
      await expect(decryptedValue(target.name)).resolves.toBe('original');
    });
  });

  describe('AccessDeniedException', () => {
    it('maps a denied create (moto refuses reserved /aws/ paths) to SecretAccessDeniedError', async () => {
      const { store } = storeWithFaults({});
      const reserved: SecretAddress = { ...address('x'), name: `/aws/${uniqueName('reserved')}/db` };

      const error = await store.create(reserved, content('v'), write).catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(SecretAccessDeniedError);
      expect((error as SecretAccessDeniedError).code).toBe('STORE.ACCESS_DENIED');
      expect((error as SecretAccessDeniedError).cause).toMatchObject({ name: 'AccessDeniedException' });
    });

    it('maps a denied describe to SecretAccessDeniedError rather than "missing"', async () => {
      const message = 'User: arn:aws:sts::123456789012:assumed-role/x is not authorized to perform: ssm:GetParameter';
      const { store } = storeWithFaults({ GetParameterCommand: () => serviceError('AccessDeniedException', message) });
      const target = address('denied');

      const error = await store.describe(target).catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(SecretAccessDeniedError);
      expect((error as Error).message).toBe(`SSM GetParameter on '${target.name}' failed: AccessDeniedException: ${message}`);
    });
  });

  it('creates a SecureString with description, KMS key and tier', async () => {
    const { store } = storeWithFaults({});
    const target = address('secure');

    await store.create(target, content('p@ss', { owner: 'test' }, { description: 'db password', kmsKeyId: 'alias/credential-test', tier: 'Advanced' }), write);

    const metadata = await parameterMetadata(target.name);
    expect(metadata).toMatchObject({ Name: target.name, Type: 'SecureString', Description: 'db password', KeyId: 'alias/credential-test', Tier: 'Advanced', Version: 1 });
    await expect(decryptedValue(target.name)).resolves.toBe('p@ss');
  });

  it('describes without ever asking SSM to decrypt', async () => {
    const { store, sent } = storeWithFaults({});
    const target = address('no-decrypt');
    await store.create(target, content('plain', { owner: 'test' }), write);

    const state = await store.describe(target);

    expect(state).toEqual({ arn: `arn:aws:ssm:${MOTO_REGION}:${MOTO_ACCOUNT}:parameter${target.name}`, version: '1', tags: { owner: 'test' }, scheduledForDeletion: false });
    const reads = sent.filter((call) => call.command === 'GetParameterCommand');
    expect(reads).toHaveLength(1);
    expect(reads[0]?.input).toMatchObject({ WithDecryption: false });
    expect(JSON.stringify(state)).not.toContain('plain');
  });

  it('overwrites metadata, keeps a tag that is both removed and set, and skips an empty tag removal', async () => {
    const { store, timesSent } = storeWithFaults({});
    const target = address('overwrite-meta');
    await store.create(target, content('v1', { owner: 'test', moved: 'old' }, { description: 'first' }), write);

    await store.overwrite(target, content('v2', { owner: 'test', moved: 'new' }, { description: 'second', tier: 'Advanced' }), { ...write, removeTagKeys: ['moved'] });

    expect(timesSent('RemoveTagsFromResourceCommand')).toBe(0);
    await expect(tagsOf(target.name)).resolves.toEqual({ owner: 'test', moved: 'new' });
    await expect(parameterMetadata(target.name)).resolves.toMatchObject({ Type: 'SecureString', Description: 'second', Tier: 'Advanced', Version: 2 });
  });

  it('does not create a missing parameter on overwrite', async () => {
    const { store, timesSent } = storeWithFaults({});
    const target = address('overwrite-missing');

    await expect(store.overwrite(target, content('v'), { ...write, removeTagKeys: [] })).rejects.toBeInstanceOf(SecretNotFoundError);

    expect(timesSent('PutParameterCommand')).toBe(0);
    await expect(parameterMetadata(target.name)).resolves.toBeUndefined();
  });

  it('refuses to restore, since SSM never schedules a deletion', async () => {
    const { store } = storeWithFaults({});

    await expect(store.restore(address('restore'))).rejects.toThrow(/no scheduled deletion/);
  });

  it('rejects a retry budget below one attempt', () => {
    expect(() => new SsmSecretStore(() => inspector, { maxUpdateAttempts: 0 })).toThrow(RangeError);
  });
});
