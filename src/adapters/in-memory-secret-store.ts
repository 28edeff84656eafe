import { randomUUID } from 'node:crypto';
import { secretsManagerArn, ssmParameterArn } from '../domain/physical-resource-id.js';
import type { BackendKind, SecretAddress } from '../domain/secret-address.js';
import type {
  DeleteOptions,
  OverwriteOptions,
  SecretContent,
  SecretState,
  SecretStorePort,
  StoredSecret,
  WriteOptions,
} from '../ports/secret-store.port.js';
import { SecretAlreadyExistsError, SecretNotFoundError, SecretPendingDeletionError, SecretStoreError } from '../ports/secret-store-errors.js';

/** One stored secret, as a test may want to inspect it. */
export interface InMemorySecret {
  readonly arn: string;
  readonly value: string;
  readonly version: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly description?: string;
  readonly kmsKeyId?: string;
  readonly tier?: string;
  readonly scheduledForDeletion: boolean;
}

type Operation = keyof SecretStorePort;

/**
 * A process-local store that behaves like the backend it emulates: SSM's numbered versions and
 * immediate deletes, or Secrets Manager's ARN suffixes, request-token idempotency and recovery
 * windows. It backs `CREDENTIAL_BACKEND=memory` and is exported as a fake for users' own tests.
 */
export class InMemorySecretStore implements SecretStorePort {
  private readonly secrets = new Map<string, InMemorySecret & { tokens: Map<string, string> }>();
  private readonly faults: Array<{ operation: Operation; error: Error }> = [];

  constructor(readonly emulates: BackendKind = 'ssm') {}

  /** Makes the next call of `operation` fail with `error` (once). */
  injectFault(operation: Operation, error: Error): void {
    this.faults.push({ operation, error });
  }

  /** The secret stored under `name` in `region`, for assertions. */
  peek(name: string, region: string): InMemorySecret | undefined {
    const secret = this.secrets.get(keyOf(region, name));
    if (!secret) return undefined;
    const { tokens: _tokens, ...visible } = secret;
    return visible;
  }

  /** Names of every stored secret (including those scheduled for deletion), for assertions. */
  names(): string[] {
    return [...this.secrets.keys()].map((key) => key.slice(key.indexOf('|') + 1));
  }

  async describe(address: SecretAddress): Promise<SecretState | undefined> {
    this.throwInjected('describe');
    const secret = this.secrets.get(keyOf(address.region, address.name));
    if (!secret) return undefined;
    return { arn: secret.arn, version: secret.version, tags: { ...secret.tags }, scheduledForDeletion: secret.scheduledForDeletion };
  }

  async create(address: SecretAddress, content: SecretContent, options: WriteOptions): Promise<StoredSecret> {
    this.throwInjected('create');
    const existing = this.secrets.get(keyOf(address.region, address.name));
    if (existing?.scheduledForDeletion) throw new SecretPendingDeletionError(`Secret '${address.name}' is scheduled for deletion.`);
    if (existing) throw new SecretAlreadyExistsError(`Secret '${address.name}' already exists.`);
    const version = this.emulates === 'ssm' ? '1' : randomUUID();
    const arn = this.emulates === 'ssm' ? ssmParameterArn(address) : secretsManagerArn(address, randomSuffix());
    this.secrets.set(keyOf(address.region, address.name), {
      ...metadataOf(content),
      arn,
      value: content.value,
      version,
      tags: { ...content.tags },
      scheduledForDeletion: false,
      tokens: new Map([[options.idempotencyKey, content.value]]),
    });
    return { arn, version };
  }

  async overwrite(address: SecretAddress, content: SecretContent, options: OverwriteOptions): Promise<StoredSecret> {
    this.throwInjected('overwrite');
    const key = keyOf(address.region, address.name);
    const existing = this.secrets.get(key);
    if (!existing || existing.scheduledForDeletion) throw new SecretNotFoundError(`Secret '${address.name}' does not exist.`);
    const tags = { ...existing.tags };
    for (const removed of options.removeTagKeys) delete tags[removed];
    Object.assign(tags, content.tags);
    let version = existing.version;
    const seen = this.emulates === 'secretsmanager' ? existing.tokens.get(options.idempotencyKey) : undefined;
    if (seen !== undefined && seen !== content.value) {
      throw new SecretStoreError(`Request token reused with a different value for '${address.name}'.`);
    }
    // Secrets Manager repeats nothing for a token it has seen; SSM writes a new version every time.
    if (seen === undefined) version = this.emulates === 'ssm' ? String(Number(existing.version) + 1) : randomUUID();
    existing.tokens.set(options.idempotencyKey, content.value);
    this.secrets.set(key, { ...existing, ...metadataOf(content), value: content.value, version, tags });
    return { arn: existing.arn, version };
  }

  async restore(address: SecretAddress): Promise<void> {
    this.throwInjected('restore');
    const existing = this.secrets.get(keyOf(address.region, address.name));
    if (!existing) throw new SecretNotFoundError(`Secret '${address.name}' does not exist.`);
    this.secrets.set(keyOf(address.region, address.name), { ...existing, scheduledForDeletion: false });
  }

  async delete(address: SecretAddress, options: DeleteOptions): Promise<'deleted' | 'absent'> {
    this.throwInjected('delete');
    const key = keyOf(address.region, address.name);
    const existing = this.secrets.get(key);
    if (!existing) return 'absent';
    if (this.emulates === 'secretsmanager' && options.recoveryWindowInDays > 0) {
      if (existing.scheduledForDeletion) return 'absent';
      this.secrets.set(key, { ...existing, scheduledForDeletion: true });
    } else {
      this.secrets.delete(key);
    }
    return 'deleted';
  }

  private throwInjected(operation: Operation): void {
    const index = this.faults.findIndex((fault) => fault.operation === operation);
    if (index < 0) return;
    const [fault] = this.faults.splice(index, 1);
    throw fault!.error;
  }
}

function keyOf(region: string, name: string): string {
  return `${region}|${name}`;
}

function metadataOf(content: SecretContent): Pick<InMemorySecret, 'description' | 'kmsKeyId' | 'tier'> {
  return {
    ...(content.description !== undefined && { description: content.description }),
    ...(content.kmsKeyId !== undefined && { kmsKeyId: content.kmsKeyId }),
    ...(content.tier !== undefined && { tier: content.tier }),
  };
}

function randomSuffix(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from({ length: 6 }, () => alphabet[Math.floor(Math.random() * alphabet.length)]).join('');
}
