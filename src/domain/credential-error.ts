/**
 * Base class of every error this library raises on purpose. `code` is stable and safe to match on;
 * `message` is written for the person reading a CloudFormation event: it names the property, the
 * rule and the fix, and never contains a secret value.
 */
export abstract class CredentialError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A resource property breaks a rule; nothing was called. */
export class InvalidPropertyError extends CredentialError {
  readonly code = 'PROPERTY.INVALID';

  constructor(
    readonly property: string,
    rule: string,
    options?: ErrorOptions,
  ) {
    super(`Property '${property}' ${rule}`, options);
  }
}

/** The secret exists and belongs to someone else; Create/Update refused to take it over. */
export class SecretOwnedElsewhereError extends CredentialError {
  readonly code = 'SECRET.OWNED_ELSEWHERE';
}

/** The secret is scheduled for deletion (Secrets Manager) and this resource may not restore it. */
export class SecretScheduledForDeletionError extends CredentialError {
  readonly code = 'SECRET.SCHEDULED_FOR_DELETION';
}
