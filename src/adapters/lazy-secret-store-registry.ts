import type { BackendKind } from '../domain/secret-address.js';
import type { SecretStorePort, SecretStoreRegistryPort } from '../ports/secret-store.port.js';
import { SecretStoreError } from '../ports/secret-store-errors.js';

export type SecretStoreFactories = Partial<Record<BackendKind, () => SecretStorePort>>;

/**
 * Builds each backend's store (and so its SDK client) on first use and keeps it for the life of
 * the process: a Delete for a backend nobody used since cold start still works.
 */
export class LazySecretStoreRegistry implements SecretStoreRegistryPort {
  private readonly built = new Map<BackendKind, SecretStorePort>();

  constructor(private readonly factories: SecretStoreFactories) {}

  storeFor(backend: BackendKind): SecretStorePort {
    let store = this.built.get(backend);
    if (!store) {
      const factory = this.factories[backend];
      if (!factory) throw new SecretStoreError(`Backend '${backend}' is not available in this Lambda's configuration.`);
      store = factory();
      this.built.set(backend, store);
    }
    return store;
  }
}
