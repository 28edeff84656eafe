import { createHash } from 'node:crypto';
import { setTimeout as wait } from 'node:timers/promises';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecretCommand,
  type DescribeSecretCommandOutput,
  type SecretsManagerClient,
  type Tag,
} from '@aws-sdk/client-secrets-manager';
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
  SecretPendingDeletionError,
  SecretStoreBusyError,
  SecretStoreError,
} from '../ports/secret-store-errors.js';
import { errorName, isThrottlingError, scrubbedCause, scrubbedServiceMessage } from './aws-service-error.js';

type Operation = 'DescribeSecret' | 'CreateSecret' | 'PutSecretValue' | 'UpdateSecret' | 'TagResource' | 'UntagResource' | 'RestoreSecret' | 'DeleteSecret';

type StoreErrorClass = new (message: string, options?: ErrorOptions) => SecretStoreError;

/** Options of {@link SecretsManagerSecretStore}. */
export interface SecretsManagerSecretStoreOptions {
  /** CreateSecret attempts while a force-deleted name is still being purged (default 5: ~10 s of waiting). */
  readonly purgeWaitAttempts?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

const DEFAULT_PURGE_WAIT_ATTEMPTS = 5;
const PURGE_WAIT_STEP_MS = 1_000;

const REQUEST_TOKEN_SHAPE = /^[A-Za-z0-9-]{32,64}$/;

/**
 * AWS and moto word "a secret of this name is being deleted" differently; any of these means it.
 * AWS also answers so for a few seconds after a forced delete, while it purges asynchronously.
 */
const PENDING_DELETION_WORDING = /scheduled for deletion|marked for deletion|marked deleted|because it was deleted/i;

/**
 * The ClientRequestToken for a write made on behalf of `idempotencyKey`. Secrets Manager ignores a
 * write whose token and value it has already seen, so a duplicate delivery of the same
 * CloudFormation request repeats nothing. Tokens must be 32–64 characters: a RequestId (a UUID) is
 * used as it is, anything else is hashed into that shape.
 */
export function clientRequestTokenFor(idempotencyKey: string): string {
  if (REQUEST_TOKEN_SHAPE.test(idempotencyKey)) return idempotencyKey;
  return createHash('sha256').update(idempotencyKey, 'utf8').digest('hex');
}

/**
 * {@link SecretStorePort} on AWS Secrets Manager. The secret's name is its SecretId, so the adapter
 * never needs the random ARN suffix to find a secret.
 */
export class SecretsManagerSecretStore implements SecretStorePort {
  private readonly purgeWaitAttempts: number;
  private readonly sleep: (ms: number) => Promise<void>;

  /**
   * @param clientFor a client of the given region, built once per region by the composition root.
   * @param options how long a create waits for AWS to finish purging a force-deleted name.
   */
  constructor(
    private readonly clientFor: (region: string) => SecretsManagerClient,
    options: SecretsManagerSecretStoreOptions = {},
  ) {
    this.purgeWaitAttempts = options.purgeWaitAttempts ?? DEFAULT_PURGE_WAIT_ATTEMPTS;
    this.sleep = options.sleep ?? ((ms) => wait(ms));
  }

  async describe(address: SecretAddress): Promise<SecretState | undefined> {
    const described = await this.describeRaw(address);
    return described && stateOf(described);
  }

  async create(address: SecretAddress, content: SecretContent, options: WriteOptions): Promise<StoredSecret> {
    // A CreateSecret repeating a token the secret already has succeeds silently; the port promises
    // SecretAlreadyExistsError for a taken name, so the lifecycle gets to check ownership first.
    this.throwIfTaken(address, await this.describe(address));
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.createOnce(address, content, options);
      } catch (error) {
        // After a forced delete AWS purges asynchronously: for a few seconds it refuses the name
        // although nothing describes it any more. Waiting is the only way through.
        const purging = error instanceof SecretPendingDeletionError && (await this.describe(address)) === undefined;
        if (!purging || attempt >= this.purgeWaitAttempts) throw error;
        await this.sleep(PURGE_WAIT_STEP_MS * attempt);
      }
    }
  }

  private async createOnce(address: SecretAddress, content: SecretContent, options: WriteOptions): Promise<StoredSecret> {
    try {
      const created = await this.clientFor(address.region).send(
        new CreateSecretCommand({
          Name: address.name,
          SecretString: content.value,
          Description: content.description,
          KmsKeyId: content.kmsKeyId,
          Tags: tagListOf(content.tags),
          ClientRequestToken: clientRequestTokenFor(options.idempotencyKey),
        }),
      );
      return storedSecretOf('CreateSecret', address, created.ARN, created.VersionId);
    } catch (error) {
      throw await this.createFailure(address, error, content.value);
    }
  }

  async overwrite(address: SecretAddress, content: SecretContent, options: OverwriteOptions): Promise<StoredSecret> {
    const state = await this.describe(address);
    if (!state || state.scheduledForDeletion) {
      const reason = state ? 'it is scheduled for deletion' : 'no secret has that name';
      throw new SecretNotFoundError(`Secrets Manager PutSecretValue on '${address.name}' refused: ${reason}.`);
    }
    // Metadata first: a new KmsKeyId then already encrypts the value written next.
    await this.updateMetadata(address, content);
    const version = await this.putValue(address, content.value, options.idempotencyKey);
    await this.retag(address, content.tags, options.removeTagKeys);
    return { arn: state.arn, version };
  }

  async restore(address: SecretAddress): Promise<void> {
    await this.call('RestoreSecret', address, [], (client) => client.send(new RestoreSecretCommand({ SecretId: address.name })));
  }

  async delete(address: SecretAddress, options: DeleteOptions): Promise<'deleted' | 'absent'> {
    const withWindow = options.recoveryWindowInDays > 0;
    // Asked first: a forced DeleteSecret of a missing name succeeds on moto (and the API does not
    // promise ResourceNotFoundException for it), which would report every repeat as 'deleted'.
    const state = await this.describe(address);
    if (!state || (withWindow && state.scheduledForDeletion)) return 'absent';
    const command = new DeleteSecretCommand(
      withWindow
        ? { SecretId: address.name, RecoveryWindowInDays: options.recoveryWindowInDays }
        : { SecretId: address.name, ForceDeleteWithoutRecovery: true },
    );
    try {
      await this.clientFor(address.region).send(command);
      return 'deleted';
    } catch (error) {
      // Someone else deleted it between our describe and our delete: the outcome we wanted.
      if (errorName(error) === 'ResourceNotFoundException') return 'absent';
      if (withWindow && isPendingDeletionRefusal(error)) return 'absent';
      throw storeErrorOf('DeleteSecret', address, error, []);
    }
  }

  private async describeRaw(address: SecretAddress): Promise<DescribeSecretCommandOutput | undefined> {
    try {
      return await this.clientFor(address.region).send(new DescribeSecretCommand({ SecretId: address.name }));
    } catch (error) {
      if (errorName(error) === 'ResourceNotFoundException') return undefined;
      throw storeErrorOf('DescribeSecret', address, error, []);
    }
  }

  private throwIfTaken(address: SecretAddress, state: SecretState | undefined): void {
    if (state?.scheduledForDeletion) {
      throw new SecretPendingDeletionError(`Secrets Manager CreateSecret on '${address.name}' refused: a secret of that name is scheduled for deletion.`);
    }
    if (state) throw new SecretAlreadyExistsError(`Secrets Manager CreateSecret on '${address.name}' refused: a secret of that name already exists.`);
  }

  /**
   * A name held by a secret pending deletion is refused with InvalidRequestException by AWS but
   * with ResourceExistsException by moto, which then reads like any taken name: only DescribeSecret
   * tells the two apart.
   */
  private async createFailure(address: SecretAddress, error: unknown, value: string): Promise<SecretStoreError> {
    const name = errorName(error);
    if (name === 'InvalidRequestException' && isPendingDeletionRefusal(error)) {
      return storeErrorOf('CreateSecret', address, error, [value], SecretPendingDeletionError);
    }
    if (name !== 'ResourceExistsException') return storeErrorOf('CreateSecret', address, error, [value]);
    const pending = (await this.describe(address))?.scheduledForDeletion === true;
    return storeErrorOf('CreateSecret', address, error, [value], pending ? SecretPendingDeletionError : SecretAlreadyExistsError);
  }

  private async updateMetadata(address: SecretAddress, content: SecretContent): Promise<void> {
    if (content.description === undefined && content.kmsKeyId === undefined) return;
    // No SecretString here: the value goes through PutSecretValue, whose token makes it idempotent.
    await this.call('UpdateSecret', address, [content.value], (client) =>
      client.send(new UpdateSecretCommand({ SecretId: address.name, Description: content.description, KmsKeyId: content.kmsKeyId })),
    );
  }

  private async putValue(address: SecretAddress, value: string, idempotencyKey: string): Promise<string> {
    const put = await this.call('PutSecretValue', address, [value], (client) =>
      client.send(new PutSecretValueCommand({ SecretId: address.name, SecretString: value, ClientRequestToken: clientRequestTokenFor(idempotencyKey) })),
    );
    if (!put.VersionId) throw new SecretStoreError(`Secrets Manager PutSecretValue on '${address.name}' failed: the response named no VersionId.`);
    return put.VersionId;
  }

  private async retag(address: SecretAddress, tags: Readonly<Record<string, string>>, removeTagKeys: readonly string[]): Promise<void> {
    const tagList = tagListOf(tags);
    if (tagList.length > 0) {
      await this.call('TagResource', address, [], (client) => client.send(new TagResourceCommand({ SecretId: address.name, Tags: tagList })));
    }
    // A key that is both removed and set again keeps its new value.
    const untagKeys = removeTagKeys.filter((key) => !(key in tags));
    if (untagKeys.length > 0) {
      await this.call('UntagResource', address, [], (client) => client.send(new UntagResourceCommand({ SecretId: address.name, TagKeys: untagKeys })));
    }
  }

  private async call<T>(operation: Operation, address: SecretAddress, secretValues: readonly string[], send: (client: SecretsManagerClient) => Promise<T>): Promise<T> {
    try {
      return await send(this.clientFor(address.region));
    } catch (error) {
      throw storeErrorOf(operation, address, error, secretValues);
    }
  }
}

function stateOf(described: DescribeSecretCommandOutput): SecretState {
  return {
    arn: described.ARN ?? '',
    version: currentVersionOf(described.VersionIdsToStages),
    tags: tagRecordOf(described.Tags),
    scheduledForDeletion: described.DeletedDate !== undefined,
  };
}

/** '' for a secret without an AWSCURRENT version, which only a CreateSecret without value makes. */
function currentVersionOf(versionIdsToStages: Record<string, string[]> | undefined): string {
  const current = Object.entries(versionIdsToStages ?? {}).find(([, stages]) => stages.includes('AWSCURRENT'));
  return current?.[0] ?? '';
}

function storedSecretOf(operation: Operation, address: SecretAddress, arn: string | undefined, version: string | undefined): StoredSecret {
  if (!arn || !version) throw new SecretStoreError(`Secrets Manager ${operation} on '${address.name}' failed: the response named no ARN or VersionId.`);
  return { arn, version };
}

function tagListOf(tags: Readonly<Record<string, string>>): Tag[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

function tagRecordOf(tags: readonly Tag[] | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  for (const { Key, Value } of tags ?? []) if (Key !== undefined) record[Key] = Value ?? '';
  return record;
}

function isPendingDeletionRefusal(error: unknown): boolean {
  return errorName(error) === 'InvalidRequestException' && PENDING_DELETION_WORDING.test(scrubbedServiceMessage(error, []));
}

/**
 * The typed error for an SDK failure. Service text can echo the request (a validation error quotes
 * the value), so both the message and the kept `cause` are scrubbed of `secretValues`.
 */
function storeErrorOf(
  operation: Operation,
  address: SecretAddress,
  error: unknown,
  secretValues: readonly string[],
  errorClass: StoreErrorClass = isThrottlingError(error) ? SecretStoreBusyError : errorClassOf(errorName(error)),
): SecretStoreError {
  const message = `Secrets Manager ${operation} on '${address.name}' failed: ${errorName(error)}: ${scrubbedServiceMessage(error, secretValues)}`;
  return new errorClass(message, { cause: scrubbedCause(error, secretValues) });
}

function errorClassOf(name: string): StoreErrorClass {
  switch (name) {
    case 'AccessDeniedException':
      return SecretAccessDeniedError;
    case 'ResourceNotFoundException':
      return SecretNotFoundError;
    default:
      return SecretStoreError;
  }
}
