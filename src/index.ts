/**
 * Library entry for users who compose the lifecycle themselves (their own Lambda, their own tests).
 * The Lambda bundle does not import this file.
 */
export { CredentialLifecycle } from './domain/credential-lifecycle.js';
export type { LifecycleOutcome, LifecycleRequest } from './domain/lifecycle-request.js';
export type { CredentialSpec, SpecPolicy } from './domain/credential-spec.js';
export type { BackendKind, SecretAddress } from './domain/secret-address.js';
export { CredentialError, InvalidPropertyError, SecretOwnedElsewhereError, SecretScheduledForDeletionError } from './domain/credential-error.js';
export type { SecretStorePort, SecretStoreRegistryPort, SecretContent, SecretState, StoredSecret } from './ports/secret-store.port.js';
export * from './ports/secret-store-errors.js';
export type { CfnResponderPort, CfnResponse } from './ports/cfn-responder.port.js';
export { InMemorySecretStore } from './adapters/in-memory-secret-store.js';
export { LazySecretStoreRegistry } from './adapters/lazy-secret-store-registry.js';
export { RecordingCfnResponder } from './adapters/recording-cfn-responder.js';
