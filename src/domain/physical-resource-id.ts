import type { AwsScope, SecretAddress } from './secret-address.js';

/**
 * PhysicalResourceIds are self-describing: the ARN of the secret. From the id alone a Delete knows
 * backend, region and name, whatever CREDENTIAL_BACKEND says by then.
 */

/** Returned for a Create that failed before any secret of this resource existed. */
export const CREATE_FAILED_MARKER = 'credential-lifecycle:create-failed';

export function createFailedId(requestId: string): string {
  return requestId ? `${CREATE_FAILED_MARKER}:${requestId}` : CREATE_FAILED_MARKER;
}

export function ssmParameterArn(address: Omit<SecretAddress, 'backend'>): string {
  const path = address.name.startsWith('/') ? address.name : `/${address.name}`;
  return `arn:${address.partition}:ssm:${address.region}:${address.accountId}:parameter${path}`;
}

/** Secrets Manager ARNs end in `-` and six random characters that only the service knows. */
export function secretsManagerArn(address: Omit<SecretAddress, 'backend'>, suffix: string): string {
  return `arn:${address.partition}:secretsmanager:${address.region}:${address.accountId}:secret:${address.name}-${suffix}`;
}

export type ParsedPhysicalId =
  | { readonly kind: 'secret'; readonly address: SecretAddress }
  | { readonly kind: 'create-failed' }
  | { readonly kind: 'unrecognized' };

const ARN = /^arn:([a-z-]+):(ssm|secretsmanager):([a-z0-9-]+):(\d{12}):(.+)$/;
const SEED_BARE_SSM_NAME = /^[a-zA-Z0-9_.\-/]+$/;

/**
 * Reads an id this Lambda (or the seed's Go proof of concept) returned earlier.
 * `nameHint` (the `key` property of the same request) settles the one ambiguity of SSM ARNs:
 * `…:parameter/db` is the ARN of both `db` and `/db`.
 */
export function parsePhysicalResourceId(id: string, scope: AwsScope, nameHint?: string): ParsedPhysicalId {
  if (id === CREATE_FAILED_MARKER || id.startsWith(`${CREATE_FAILED_MARKER}:`)) return { kind: 'create-failed' };
  const arn = ARN.exec(id);
  if (arn) {
    const [, partition, service, region, accountId, resource] = arn as unknown as [string, string, string, string, string, string];
    const name = service === 'ssm' ? ssmNameFromResource(resource, nameHint) : secretsManagerNameFromResource(resource);
    if (name === undefined) return { kind: 'unrecognized' };
    return { kind: 'secret', address: { backend: service as SecretAddress['backend'], partition, accountId, region, name } };
  }
  // The seed returned the bare parameter name as PhysicalResourceId; it only ever wrote SSM.
  if (SEED_BARE_SSM_NAME.test(id)) return { kind: 'secret', address: { ...scope, backend: 'ssm', name: id } };
  return { kind: 'unrecognized' };
}

function ssmNameFromResource(resource: string, nameHint: string | undefined): string | undefined {
  if (!resource.startsWith('parameter/')) return undefined;
  const rest = resource.slice('parameter/'.length);
  if (rest === '') return undefined;
  // Names containing '/' must start with it, so only single-level names are ambiguous.
  if (rest.includes('/')) return `/${rest}`;
  return nameHint === `/${rest}` ? `/${rest}` : rest;
}

function secretsManagerNameFromResource(resource: string): string | undefined {
  const match = /^secret:(.+)-[A-Za-z0-9]{6}$/.exec(resource);
  return match?.[1];
}
