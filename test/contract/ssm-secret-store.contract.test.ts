import { afterAll } from '@jest/globals';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { SsmSecretStore } from '../../src/adapters/ssm-secret-store.js';
import type { SecretAddress } from '../../src/domain/secret-address.js';
import { describeSecretStoreContract } from './secret-store.contract.js';
import { MOTO_ACCOUNT, MOTO_REGION, motoClientConfig, uniqueName } from '../support/moto.js';

const clients: SSMClient[] = [];

function newClient(): SSMClient {
  const client = new SSMClient(motoClientConfig());
  clients.push(client);
  return client;
}

afterAll(() => {
  for (const client of clients) client.destroy();
});

/** Through SSM itself, decrypted: moto keeps SecureStrings as `kms:<key>:<plaintext>` and strips that prefix only with WithDecryption. */
async function readDecrypted(reader: SSMClient, address: SecretAddress): Promise<string | undefined> {
  try {
    const output = await reader.send(new GetParameterCommand({ Name: address.name, WithDecryption: true }));
    return output.Parameter?.Value;
  } catch (error) {
    if (error instanceof Error && error.name === 'ParameterNotFound') return undefined;
    throw error;
  }
}

describeSecretStoreContract('ssm (moto)', () => {
  const storeClient = newClient();
  const reader = newClient();
  return {
    store: new SsmSecretStore(() => storeClient, { sleep: async () => {} }),
    address: (label): SecretAddress => ({ backend: 'ssm', partition: 'aws', accountId: MOTO_ACCOUNT, region: MOTO_REGION, name: `/contract/${uniqueName(label)}` }),
    readValue: (address) => readDecrypted(reader, address),
    recoverable: false,
    numberedVersions: true,
  };
});
