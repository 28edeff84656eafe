/** Where a secret can live. `memory` is not a backend of its own: it emulates these in process. */
export type BackendKind = 'ssm' | 'secretsmanager';

export const BACKEND_KINDS: readonly BackendKind[] = ['ssm', 'secretsmanager'];

/** The partition/account/region a request runs in, read from the event's StackId. */
export interface AwsScope {
  readonly partition: string;
  readonly accountId: string;
  readonly region: string;
}

/**
 * A secret's full location. Identity is (backend, region, name); partition and account only
 * complete the ARN.
 */
export interface SecretAddress extends AwsScope {
  readonly backend: BackendKind;
  readonly name: string;
}

/** True when both addresses name the same secret, so an Update can overwrite in place. */
export function isSameSecret(a: SecretAddress, b: SecretAddress): boolean {
  return a.backend === b.backend && a.region === b.region && a.name === b.name;
}

/** The scope of a stack, from its StackId ARN (`arn:aws:cloudformation:eu-central-1:123…:stack/…`). */
export function scopeOfStack(stackId: string): AwsScope | undefined {
  const match = /^arn:([a-z-]+):cloudformation:([a-z0-9-]+):(\d{12}):stack\//.exec(stackId);
  if (!match) return undefined;
  return { partition: match[1]!, region: match[2]!, accountId: match[3]! };
}

export function describeAddress(address: SecretAddress): string {
  return `'${address.name}' (${address.backend}, ${address.region})`;
}
