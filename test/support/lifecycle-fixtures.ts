import { InMemorySecretStore } from '../../src/adapters/in-memory-secret-store.js';
import { LazySecretStoreRegistry } from '../../src/adapters/lazy-secret-store-registry.js';
import { CredentialLifecycle } from '../../src/domain/credential-lifecycle.js';
import type { SpecPolicy } from '../../src/domain/credential-spec.js';
import type { LifecycleRequest } from '../../src/domain/lifecycle-request.js';
import type { RawProperties } from '../../src/domain/raw-property.js';

export const STACK_ID = 'arn:aws:cloudformation:eu-central-1:123456789012:stack/CustomResourcesGolang/4f1a6b30-d1a2-11ed-8c5e-0a1b2c3d4e5f';
export const OTHER_STACK_ID = 'arn:aws:cloudformation:eu-central-1:123456789012:stack/Other/99999999-d1a2-11ed-8c5e-0a1b2c3d4e5f';
export const LOGICAL_ID = 'SSMCredential21D358858';
export const REGION = 'eu-central-1';

/** The lifecycle over in-memory stores emulating SSM and Secrets Manager: the unit tests' world. */
export function lifecycleWorld(policy: Partial<SpecPolicy> = {}) {
  const ssm = new InMemorySecretStore('ssm');
  const secretsmanager = new InMemorySecretStore('secretsmanager');
  const lifecycle = new CredentialLifecycle(new LazySecretStoreRegistry({ ssm: () => ssm, secretsmanager: () => secretsmanager }), {
    defaultBackend: 'ssm',
    allowedNamePrefixes: [],
    ...policy,
  });
  return { lifecycle, ssm, secretsmanager };
}

let counter = 0;
function requestId(): string {
  counter += 1;
  return `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`;
}

interface Who {
  readonly stackId?: string;
  readonly logicalResourceId?: string;
  readonly requestId?: string;
}

export function create(properties: RawProperties, who: Who = {}): LifecycleRequest {
  return { requestType: 'Create', requestId: who.requestId ?? requestId(), stackId: who.stackId ?? STACK_ID, logicalResourceId: who.logicalResourceId ?? LOGICAL_ID, properties };
}

export function update(physicalResourceId: string, properties: RawProperties, oldProperties: RawProperties, who: Who = {}): LifecycleRequest {
  return {
    requestType: 'Update',
    requestId: who.requestId ?? requestId(),
    stackId: who.stackId ?? STACK_ID,
    logicalResourceId: who.logicalResourceId ?? LOGICAL_ID,
    physicalResourceId,
    properties,
    oldProperties,
  };
}

export function remove(physicalResourceId: string, properties: RawProperties, who: Who = {}): LifecycleRequest {
  return { requestType: 'Delete', requestId: who.requestId ?? requestId(), stackId: who.stackId ?? STACK_ID, logicalResourceId: who.logicalResourceId ?? LOGICAL_ID, physicalResourceId, properties };
}
