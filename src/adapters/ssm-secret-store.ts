import { setTimeout as wait } from 'node:timers/promises';
import {
  AddTagsToResourceCommand,
  DeleteParameterCommand,
  GetParameterCommand,
  ListTagsForResourceCommand,
  PutParameterCommand,
  RemoveTagsFromResourceCommand,
  type PutParameterCommandInput,
  type SSMClient,
  type Tag,
} from '@aws-sdk/client-ssm';
import { ssmParameterArn } from '../domain/physical-resource-id.js';
import type { SecretAddress } from '../domain/secret-address.js';
import type {
  DeleteOptions,
  OverwriteOptions,
  SecretContent,
  SecretState,
  SecretStorePort,
  StoredSecret,
  WriteOptions,
} from '../ports/secret-store.port.js';
import {
  SecretAccessDeniedError,
  SecretAlreadyExistsError,
  SecretNotFoundError,
  SecretStoreBusyError,
  SecretStoreError,
} from '../ports/secret-store-errors.js';
import { errorName, isThrottlingError, scrubbedCause, scrubbedServiceMessage } from './aws-service-error.js';

/** Tuning of {@link SsmSecretStore}; the defaults suit a Lambda handling one stack's parameters. */
export interface SsmSecretStoreOptions {
  /** How often a write is sent while SSM answers `TooManyUpdates` (default 5, at least 1). */
  readonly maxUpdateAttempts?: number;
  /** Waits between those attempts; injectable so tests don't wait. */
  readonly sleep?: (ms: number) => Promise<void>;
}

const DEFAULT_MAX_UPDATE_ATTEMPTS = 5;
const BACKOFF_BASE_MS = 200;
const BACKOFF_CAP_MS = 3_000;


/** Ways SSM says "no such parameter": reads and deletes name it, tag calls call the id invalid. */
const NOT_FOUND_ERROR_NAMES = new Set(['ParameterNotFound', 'InvalidResourceId']);

/**
 * Keeps secrets as SSM Parameter Store `SecureString` parameters. Versions are SSM's numbers, the
 * ARN is derived from the address (so it matches the ids the domain parses), and deletes are
 * immediate: SSM has no recovery window.
 */
export class SsmSecretStore implements SecretStorePort {
  private readonly maxUpdateAttempts: number;
  private readonly sleep: (ms: number) => Promise<void>;

  /**
   * @param clientFor the SSM client of a region; the composition root memoizes it per region.
   * @param options retry tuning for `TooManyUpdates`, which the SDK does not retry.
   */
  constructor(
    private readonly clientFor: (region: string) => SSMClient,
    options: SsmSecretStoreOptions = {},
  ) {
    this.maxUpdateAttempts = options.maxUpdateAttempts ?? DEFAULT_MAX_UPDATE_ATTEMPTS;
    if (!Number.isInteger(this.maxUpdateAttempts) || this.maxUpdateAttempts < 1) {
      throw new RangeError(`maxUpdateAttempts must be a whole number of at least 1, got ${this.maxUpdateAttempts}.`);
    }
    this.sleep = options.sleep ?? ((ms) => wait(ms));
  }

  async describe(address: SecretAddress): Promise<SecretState | undefined> {
    try {
      const version = await this.currentVersion(address);
      const tags = await this.tagsOf(address);
      return { arn: ssmParameterArn(address), version, tags, scheduledForDeletion: false };
    } catch (error) {
      // The parameter may also vanish between the two reads; either way there is nothing to describe.
      if (error instanceof SecretNotFoundError) return undefined;
      throw error;
    }
  }

  async create(address: SecretAddress, content: SecretContent, _options: WriteOptions): Promise<StoredSecret> {
    const tags = toTagList(content.tags);
    const output = await this.write('PutParameter', address, [content.value], (client) =>
      client.send(
        new PutParameterCommand({
          ...parameterInput(address, content),
          Overwrite: false,
          ...(tags.length > 0 && { Tags: tags }),
        }),
      ),
    );
    return { arn: ssmParameterArn(address), version: versionText(output.Version, 'PutParameter', address) };
  }

  /**
   * `idempotencyKey` is ignored: SSM has no request tokens, and a repeated overwrite merely adds a
   * version with the same value.
   */
  async overwrite(address: SecretAddress, content: SecretContent, options: OverwriteOptions): Promise<StoredSecret> {
    // PutParameter with Overwrite creates a missing parameter, without the tags that mark its owner.
    if (!(await this.exists(address))) {
      throw new SecretNotFoundError(`SSM parameter '${address.name}' does not exist, so it cannot be overwritten.`);
    }
    // SSM rejects Tags together with Overwrite, so tags follow in calls of their own.
    const output = await this.write('PutParameter', address, [content.value], (client) =>
      client.send(new PutParameterCommand({ ...parameterInput(address, content), Overwrite: true })),
    );
    await this.addTags(address, content);
    await this.removeTags(address, options.removeTagKeys.filter((key) => !Object.hasOwn(content.tags, key)));
    return { arn: ssmParameterArn(address), version: versionText(output.Version, 'PutParameter', address) };
  }

  /** Always fails: an SSM parameter is deleted at once, so there is never a deletion to cancel. */
  async restore(address: SecretAddress): Promise<void> {
    throw new SecretStoreError(
      `SSM parameter '${address.name}' cannot be restored: Parameter Store deletes immediately and has no scheduled deletion.`,
    );
  }

  /** Deletes at once; `recoveryWindowInDays` is ignored because SSM keeps nothing restorable. */
  async delete(address: SecretAddress, _options: DeleteOptions): Promise<'deleted' | 'absent'> {
    try {
      await this.write('DeleteParameter', address, [], (client) => client.send(new DeleteParameterCommand({ Name: address.name })));
      return 'deleted';
    } catch (error) {
      if (error instanceof SecretNotFoundError) return 'absent';
      throw error;
    }
  }

  private async exists(address: SecretAddress): Promise<boolean> {
    try {
      await this.currentVersion(address);
      return true;
    } catch (error) {
      if (error instanceof SecretNotFoundError) return false;
      throw error;
    }
  }

  private async currentVersion(address: SecretAddress): Promise<string> {
    // WithDecryption false: the plaintext never enters this process and no kms:Decrypt is needed.
    const output = await this.read('GetParameter', address, (client) =>
      client.send(new GetParameterCommand({ Name: address.name, WithDecryption: false })),
    );
    return versionText(output.Parameter?.Version, 'GetParameter', address);
  }

  private async tagsOf(address: SecretAddress): Promise<Record<string, string>> {
    const output = await this.read('ListTagsForResource', address, (client) =>
      client.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: address.name })),
    );
    return fromTagList(output.TagList ?? []);
  }

  private async addTags(address: SecretAddress, content: SecretContent): Promise<void> {
    const tags = toTagList(content.tags);
    if (tags.length === 0) return;
    await this.write('AddTagsToResource', address, [content.value], (client) =>
      client.send(new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: address.name, Tags: tags })),
    );
  }

  private async removeTags(address: SecretAddress, keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.write('RemoveTagsFromResource', address, [], (client) =>
      client.send(new RemoveTagsFromResourceCommand({ ResourceType: 'Parameter', ResourceId: address.name, TagKeys: [...keys] })),
    );
  }

  private async read<T>(operation: string, address: SecretAddress, send: (client: SSMClient) => Promise<T>): Promise<T> {
    try {
      return await send(this.clientFor(address.region));
    } catch (error) {
      throw storeError(operation, address, error, [], 1);
    }
  }

  /**
   * Sends a write, again while SSM answers `TooManyUpdates`: that error means another writer holds
   * the parameter right now, nothing was changed, and the SDK leaves retrying it to us.
   */
  private async write<T>(
    operation: string,
    address: SecretAddress,
    secretValues: readonly string[],
    send: (client: SSMClient) => Promise<T>,
  ): Promise<T> {
    const client = this.clientFor(address.region);
    for (let attempt = 1; ; attempt++) {
      try {
        return await send(client);
      } catch (error) {
        if (errorName(error) !== 'TooManyUpdates' || attempt >= this.maxUpdateAttempts) {
          throw storeError(operation, address, error, secretValues, attempt);
        }
        await this.sleep(backoffDelayMs(attempt));
      }
    }
  }
}

/**
 * Exponential backoff with "equal jitter": half the step is fixed so attempts do not bunch up at
 * zero, the other half random so concurrent writers of one parameter drift apart.
 */
function backoffDelayMs(attempt: number, random: () => number = Math.random): number {
  const step = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

function parameterInput(address: SecretAddress, content: SecretContent): PutParameterCommandInput {
  return {
    Name: address.name,
    Value: content.value,
    Type: 'SecureString',
    ...(content.description !== undefined && { Description: content.description }),
    ...(content.kmsKeyId !== undefined && { KeyId: content.kmsKeyId }),
    ...(content.tier !== undefined && { Tier: content.tier }),
  };
}

function toTagList(tags: Readonly<Record<string, string>>): Tag[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

function fromTagList(tags: readonly Tag[]): Record<string, string> {
  return Object.fromEntries(tags.flatMap(({ Key, Value }) => (Key === undefined ? [] : [[Key, Value ?? '']])));
}

function versionText(version: number | undefined, operation: string, address: SecretAddress): string {
  if (version === undefined) throw new SecretStoreError(`SSM ${operation} on '${address.name}' returned no parameter version.`);
  return String(version);
}

/** The typed store error of an SDK failure; its message and its cause are free of secret values. */
function storeError(operation: string, address: SecretAddress, error: unknown, secretValues: readonly string[], attempts: number): SecretStoreError {
  if (error instanceof SecretStoreError) return error;
  const name = errorName(error);
  const retried = attempts > 1 ? ` (gave up after ${attempts} attempts)` : '';
  const message = `SSM ${operation} on '${address.name}' failed: ${name}: ${scrubbedServiceMessage(error, secretValues)}${retried}`;
  const options = { cause: scrubbedCause(error, secretValues) };
  if (name === 'AccessDeniedException') return new SecretAccessDeniedError(message, options);
  if (name === 'TooManyUpdates' || isThrottlingError(error)) return new SecretStoreBusyError(message, options);
  if (NOT_FOUND_ERROR_NAMES.has(name)) return new SecretNotFoundError(message, options);
  if (name === 'ParameterAlreadyExists') return new SecretAlreadyExistsError(message, options);
  return new SecretStoreError(message, options);
}

