import { CredentialError } from '../domain/credential-error.js';

/**
 * A store call failed. `code` is stable; the message names the store, the operation and the
 * secret name, plus the service's own words with any secret value removed. The SDK error is the
 * `cause`.
 */
export class SecretStoreError extends CredentialError {
  readonly code: string = 'STORE.FAILED';
}

export class SecretAlreadyExistsError extends SecretStoreError {
  override readonly code = 'STORE.ALREADY_EXISTS';
}

export class SecretNotFoundError extends SecretStoreError {
  override readonly code = 'STORE.NOT_FOUND';
}

/** The secret name is blocked because a secret of that name is scheduled for deletion. */
export class SecretPendingDeletionError extends SecretStoreError {
  override readonly code = 'STORE.PENDING_DELETION';
}

export class SecretAccessDeniedError extends SecretStoreError {
  override readonly code = 'STORE.ACCESS_DENIED';
}

/** The store kept refusing for load (throttling, TooManyUpdates) after our retries. */
export class SecretStoreBusyError extends SecretStoreError {
  override readonly code = 'STORE.BUSY';
}
