import { InvalidPropertyError } from './credential-error.js';

const MAX_LENGTH = 512;

/** Secrets Manager secret name rules (moto validates none of them). */
export function assertValidSecretsManagerName(name: string): void {
  const fail = (rule: string): never => {
    throw new InvalidPropertyError('key', `${rule} (Secrets Manager secret name rules).`);
  };
  if (name.length > MAX_LENGTH) fail(`must be at most ${MAX_LENGTH} characters, has ${name.length}`);
  if (!/^[A-Za-z0-9/_+=.@-]+$/.test(name)) fail("may contain only letters, digits and '/', '_', '+', '=', '.', '@', '-'");
  // The service appends '-' and six random characters to form the ARN; a name ending the same way
  // makes partial-ARN lookups ambiguous.
  if (/-[A-Za-z0-9]{6}$/.test(name)) fail("must not end with '-' followed by six characters (it clashes with the ARN suffix)");
}
