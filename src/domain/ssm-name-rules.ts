import { InvalidPropertyError } from './credential-error.js';
import { ssmParameterArn } from './physical-resource-id.js';
import type { AwsScope } from './secret-address.js';

/** SSM's documented limit, which counts the ARN prefix in front of the name. */
const MAX_ARN_LENGTH = 1011;
const MAX_LEVELS = 15;

/**
 * SSM parameter name rules (moto checks only the reserved prefixes, so we check all of them
 * before any call).
 */
export function assertValidSsmName(name: string, scope: AwsScope): void {
  const fail = (rule: string): never => {
    throw new InvalidPropertyError('key', `${rule} (SSM parameter name rules).`);
  };
  if (!/^[a-zA-Z0-9_.\-/]+$/.test(name)) fail("may contain only letters, digits and '_', '.', '-', '/'");
  if (name.includes('/') && !name.startsWith('/')) fail("must start with '/' when it contains '/', e.g. '/app/db/password'");
  const segments = name.split('/').slice(name.startsWith('/') ? 1 : 0);
  if (segments.some((segment) => segment === '')) fail("must not contain empty path levels ('//') or end with '/'");
  if (segments.length > MAX_LEVELS) fail(`must not be deeper than ${MAX_LEVELS} levels, has ${segments.length}`);
  if (/^\/?(aws|ssm)/i.test(name)) fail("must not start with 'aws' or 'ssm' (reserved by AWS, in any case)");
  const arnLength = ssmParameterArn({ ...scope, name }).length;
  if (arnLength > MAX_ARN_LENGTH) fail(`is too long: its ARN would be ${arnLength} characters, the limit is ${MAX_ARN_LENGTH}`);
}
