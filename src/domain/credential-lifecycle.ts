import { CredentialError, InvalidPropertyError, SecretOwnedElsewhereError, SecretScheduledForDeletionError } from './credential-error.js';
import { lenientRecoveryWindow, parseCredentialSpec, type CredentialSpec, type SpecPolicy } from './credential-spec.js';
import type { LifecycleOutcome, LifecycleRequest } from './lifecycle-request.js';
import { describeOwner, judgeOwnership, ownershipTags, type Owner } from './ownership.js';
import { createFailedId, parsePhysicalResourceId } from './physical-resource-id.js';
import { readStringMap, type RawProperties } from './raw-property.js';
import { describeAddress, isSameSecret, scopeOfStack, type AwsScope, type SecretAddress } from './secret-address.js';
import type { SecretContent, SecretStoreRegistryPort, StoredSecret } from '../ports/secret-store.port.js';
import { SecretAlreadyExistsError, SecretPendingDeletionError } from '../ports/secret-store-errors.js';

type Request<T extends LifecycleRequest['requestType']> = Extract<LifecycleRequest, { requestType: T }>;

/**
 * Decides what a Create, Update or Delete means for one secret and carries it out through the
 * store ports. Every request is safe to deliver twice; no secret is taken from another owner.
 */
export class CredentialLifecycle {
  constructor(
    private readonly stores: SecretStoreRegistryPort,
    private readonly policy: SpecPolicy,
  ) {}

  /** Never throws for a bad request or a store failure: those become a FAILED outcome. */
  async handle(request: LifecycleRequest): Promise<LifecycleOutcome> {
    switch (request.requestType) {
      case 'Create':
        return this.create(request);
      case 'Update':
        return this.update(request);
      case 'Delete':
        return this.delete(request);
    }
  }

  private async create(request: Request<'Create'>): Promise<LifecycleOutcome> {
    // Until a secret of this resource exists, the id must not point at anything real: CloudFormation
    // answers a failed Create with a Delete of whatever id we return.
    let physicalResourceId = createFailedId(request.requestId);
    try {
      const scope = this.scopeOf(request);
      const spec = parseCredentialSpec(request.properties, scope, this.policy);
      const address = addressOf(spec, scope);
      const stored = await this.claim(address, spec, ownerOf(request), request.requestId, []);
      physicalResourceId = stored.arn;
      return success(physicalResourceId, address, stored, spec);
    } catch (error) {
      return failure(physicalResourceId, error);
    }
  }

  private async update(request: Request<'Update'>): Promise<LifecycleOutcome> {
    try {
      const scope = this.scopeOf(request);
      const spec = parseCredentialSpec(request.properties, scope, this.policy);
      const address = addressOf(spec, scope);
      const removeTagKeys = droppedTagKeys(request.oldProperties, spec);
      const old = parsePhysicalResourceId(request.physicalResourceId, scope, stringOrUndefined(request.oldProperties['key']));
      if (old.kind === 'secret' && isSameSecret(old.address, address)) {
        // Same identity: overwrite in place and keep the id exactly as CloudFormation knows it.
        const stored = await this.claim(address, spec, ownerOf(request), request.requestId, removeTagKeys, true);
        return success(request.physicalResourceId, address, stored, spec);
      }
      // Replacement: create the new secret and return its id. The old one stays until
      // CloudFormation's cleanup Delete, so a rollback can still go back to it.
      const stored = await this.claim(address, spec, ownerOf(request), request.requestId, removeTagKeys);
      return success(stored.arn, address, stored, spec);
    } catch (error) {
      return failure(request.physicalResourceId, error);
    }
  }

  private async delete(request: Request<'Delete'>): Promise<LifecycleOutcome> {
    const id = request.physicalResourceId;
    try {
      const scope = this.scopeOf(request);
      const parsed = parsePhysicalResourceId(id, scope, stringOrUndefined(request.properties['key']));
      if (parsed.kind === 'create-failed') return kept(id, 'Nothing to delete: the Create of this resource had failed.');
      if (parsed.kind === 'unrecognized') return kept(id, 'Nothing to delete: the PhysicalResourceId does not name a secret this Lambda manages.');
      const { address } = parsed;
      const store = this.stores.storeFor(address.backend);
      const state = await store.describe(address);
      if (!state || state.scheduledForDeletion) return kept(id, `Nothing to delete: ${describeAddress(address)} no longer exists.`);
      const verdict = judgeOwnership(state.tags, ownerOf(request));
      if (verdict.kind !== 'this-resource') {
        return kept(id, `Retained ${describeAddress(address)}: it belongs to ${describeOwner(verdict)}, not to this resource.`);
      }
      await store.delete(address, { recoveryWindowInDays: lenientRecoveryWindow(request.properties) });
      return { status: 'SUCCESS', physicalResourceId: id, data: {}, noEcho: false };
    } catch (error) {
      return failure(id, error);
    }
  }

  /**
   * Makes the secret at `address` hold `spec` and belong to `owner`: creates it, or overwrites it
   * when it is already this resource's (a duplicate delivery, a rollback, or an untagged secret an
   * in-place Update inherits), or when `adoptExisting` allows taking it over.
   */
  private async claim(
    address: SecretAddress,
    spec: CredentialSpec,
    owner: Owner,
    idempotencyKey: string,
    removeTagKeys: readonly string[],
    inPlace = false,
  ): Promise<StoredSecret> {
    const store = this.stores.storeFor(address.backend);
    const content = contentOf(spec, owner);
    let state = await store.describe(address);
    if (!state) {
      try {
        return await store.create(address, content, { idempotencyKey });
      } catch (error) {
        // Lost a race with another writer, or a name held by a secret pending deletion that
        // describe could not see: look again and decide on what is really there.
        if (!(error instanceof SecretAlreadyExistsError || error instanceof SecretPendingDeletionError)) throw error;
        state = await store.describe(address);
        if (!state) throw error;
      }
    }
    const verdict = judgeOwnership(state.tags, owner);
    const mayTakeOver = verdict.kind === 'this-resource' || spec.adoptExisting || (inPlace && verdict.kind === 'untagged');
    if (!mayTakeOver) {
      if (state.scheduledForDeletion) {
        throw new SecretScheduledForDeletionError(
          `Cannot create ${describeAddress(address)}: a secret of that name is scheduled for deletion and belongs to ${describeOwner(verdict)}. ` +
            "Restore or purge it (aws secretsmanager restore-secret / delete-secret --force-delete-without-recovery), set 'adoptExisting' to 'true' to take it over, or choose another 'key'.",
        );
      }
      throw new SecretOwnedElsewhereError(
        `Cannot ${inPlace ? 'update' : 'create'} ${describeAddress(address)}: it already exists and belongs to ${describeOwner(verdict)}. ` +
          "Choose another 'key', or set 'adoptExisting' to 'true' to take it over.",
      );
    }
    if (state.scheduledForDeletion) await store.restore(address);
    return store.overwrite(address, content, { idempotencyKey, removeTagKeys });
  }

  private scopeOf(request: LifecycleRequest): AwsScope {
    const scope = scopeOfStack(request.stackId);
    if (!scope) throw new InvalidPropertyError('StackId', 'must be a CloudFormation stack ARN (arn:aws:cloudformation:<region>:<account>:stack/…).');
    return scope;
  }
}

function addressOf(spec: CredentialSpec, scope: AwsScope): SecretAddress {
  return { ...scope, backend: spec.backend, name: spec.key };
}

function ownerOf(request: LifecycleRequest): Owner {
  return { stackId: request.stackId, logicalResourceId: request.logicalResourceId };
}

function contentOf(spec: CredentialSpec, owner: Owner): SecretContent {
  return {
    value: spec.value,
    ...(spec.description !== undefined && { description: spec.description }),
    ...(spec.kmsKeyId !== undefined && { kmsKeyId: spec.kmsKeyId }),
    ...(spec.tier !== undefined && { tier: spec.tier }),
    tags: { ...spec.tags, ...ownershipTags(owner) },
  };
}

/** Tags the previous properties set and the new ones dropped; out-of-band tags are left alone. */
function droppedTagKeys(oldProperties: RawProperties, spec: CredentialSpec): string[] {
  let oldTags: Record<string, string> = {};
  try {
    oldTags = readStringMap(oldProperties, 'tags') ?? {};
  } catch {
    // Old properties written for another version: nothing we can trust to remove.
  }
  return Object.keys(oldTags).filter((key) => !(key in spec.tags));
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function success(physicalResourceId: string, address: SecretAddress, stored: StoredSecret, spec: CredentialSpec): LifecycleOutcome {
  const data: Record<string, string> = {
    Arn: stored.arn,
    Name: address.name,
    Version: stored.version,
    Backend: address.backend,
    // The seed's CDK construct reads `Response`; the ARN is the stable, non-secret answer.
    Response: stored.arn,
  };
  if (spec.returnValue) data['Value'] = spec.value;
  return { status: 'SUCCESS', physicalResourceId, data, noEcho: spec.returnValue };
}

function kept(physicalResourceId: string, reason: string): LifecycleOutcome {
  return { status: 'SUCCESS', physicalResourceId, data: {}, noEcho: false, reason };
}

function failure(physicalResourceId: string, error: unknown): LifecycleOutcome {
  const reason =
    error instanceof CredentialError
      ? `${error.message} [${error.code}]`
      : `Unexpected ${error instanceof Error ? error.name : 'error'} in credential-lifecycle; see the Lambda log.`;
  return { status: 'FAILED', physicalResourceId, data: {}, noEcho: false, reason, error };
}
