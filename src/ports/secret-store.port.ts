import type { SsmTier } from '../domain/ssm-tier.js';
import type { SecretAddress } from '../domain/secret-address.js';

/** What the lifecycle writes into a store. `tags` already include the ownership tags. */
export interface SecretContent {
  readonly value: string;
  readonly description?: string;
  readonly kmsKeyId?: string;
  readonly tier?: SsmTier;
  readonly tags: Readonly<Record<string, string>>;
}

/** What the lifecycle needs to know about an existing secret. Never carries the value. */
export interface SecretState {
  readonly arn: string;
  readonly version: string;
  readonly tags: Readonly<Record<string, string>>;
  /** Secrets Manager only: deleted with a recovery window and still restorable. */
  readonly scheduledForDeletion: boolean;
}

/** The result of a write. */
export interface StoredSecret {
  readonly arn: string;
  readonly version: string;
}

export interface WriteOptions {
  /** Stable per CloudFormation request, so a duplicate delivery repeats nothing (Secrets Manager). */
  readonly idempotencyKey: string;
}

export interface OverwriteOptions extends WriteOptions {
  /** Tags an older version of the resource set that the new one no longer wants. */
  readonly removeTagKeys: readonly string[];
}

export interface DeleteOptions {
  /** Secrets Manager: 0 deletes at once, 7–30 keeps the secret restorable. Other stores ignore it. */
  readonly recoveryWindowInDays: number;
}

/**
 * A place secrets live. Shaped by what the lifecycle needs, not by any SDK. Every failure is a
 * {@link SecretStoreError} (or a subclass) whose message never contains the secret value.
 */
export interface SecretStorePort {
  /** The secret's metadata, or undefined when no secret has that name. */
  describe(address: SecretAddress): Promise<SecretState | undefined>;
  /** Creates a new secret; fails with {@link SecretAlreadyExistsError} when the name is taken. */
  create(address: SecretAddress, content: SecretContent, options: WriteOptions): Promise<StoredSecret>;
  /** Replaces value, metadata and the given tags of an existing secret. */
  overwrite(address: SecretAddress, content: SecretContent, options: OverwriteOptions): Promise<StoredSecret>;
  /** Cancels a scheduled deletion. */
  restore(address: SecretAddress): Promise<void>;
  /** Deletes the secret; 'absent' when there was nothing to delete. */
  delete(address: SecretAddress, options: DeleteOptions): Promise<'deleted' | 'absent'>;
}

/** Resolves the store of a backend. Stores are built on first use, so unused backends cost nothing. */
export interface SecretStoreRegistryPort {
  storeFor(backend: SecretAddress['backend']): SecretStorePort;
}
