import { InMemorySecretStore } from '../../src/adapters/in-memory-secret-store.js';
import type { BackendKind, SecretAddress } from '../../src/domain/secret-address.js';
import { describeSecretStoreContract } from './secret-store.contract.js';
import { uniqueName } from '../support/moto.js';

for (const emulates of ['ssm', 'secretsmanager'] as BackendKind[]) {
  describeSecretStoreContract(`in-memory (emulating ${emulates})`, () => {
    const store = new InMemorySecretStore(emulates);
    return {
      store,
      address: (label): SecretAddress => ({ backend: emulates, partition: 'aws', accountId: '123456789012', region: 'eu-central-1', name: `/contract/${uniqueName(label)}` }),
      readValue: async (address) => store.peek(address.name, address.region)?.value,
      recoverable: emulates === 'secretsmanager',
      numberedVersions: emulates === 'ssm',
    };
  });
}
