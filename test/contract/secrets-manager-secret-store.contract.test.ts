import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecretsManagerSecretStore } from '../../src/adapters/secrets-manager-secret-store.js';
import type { SecretAddress } from '../../src/domain/secret-address.js';
import { describeSecretStoreContract } from './secret-store.contract.js';
import { MOTO_ACCOUNT, MOTO_REGION, motoClientConfig, uniqueName } from '../support/moto.js';

describeSecretStoreContract('secretsmanager (moto)', () => {
  const client = new SecretsManagerClient(motoClientConfig());
  // The backend's own view, through a client the adapter never touches.
  const reader = new SecretsManagerClient(motoClientConfig());
  return {
    store: new SecretsManagerSecretStore(() => client),
    address: (label): SecretAddress => ({
      backend: 'secretsmanager',
      partition: 'aws',
      accountId: MOTO_ACCOUNT,
      region: MOTO_REGION,
      name: `contract/${uniqueName(label)}`,
    }),
    readValue: async (address) => {
      try {
        return (await reader.send(new GetSecretValueCommand({ SecretId: address.name }))).SecretString;
      } catch (error) {
        if (error instanceof Error && error.name === 'ResourceNotFoundException') return undefined;
        throw error;
      }
    },
    recoverable: true,
    numberedVersions: false,
  };
});
