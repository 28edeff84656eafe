import { InvalidPropertyError } from './credential-error.js';
import type { BackendKind } from './secret-address.js';
import type { SsmTier } from './ssm-tier.js';

const SSM_STANDARD_MAX_BYTES = 4096;
const SSM_ADVANCED_MAX_BYTES = 8192;
const SECRETS_MANAGER_MAX_BYTES = 65536;

/** Size and content limits of a secret value, checked before any call. Never echoes the value. */
export function assertValidSecretValue(property: string, value: string, backend: BackendKind, tier: SsmTier | undefined): void {
  if (value.length === 0) throw new InvalidPropertyError(property, 'must not be empty.');
  const bytes = Buffer.byteLength(value, 'utf8');
  if (backend === 'secretsmanager') {
    if (bytes > SECRETS_MANAGER_MAX_BYTES) {
      throw new InvalidPropertyError(property, `is ${bytes} bytes; Secrets Manager stores at most ${SECRETS_MANAGER_MAX_BYTES} bytes.`);
    }
    return;
  }
  const limit = tier === undefined || tier === 'Standard' ? SSM_STANDARD_MAX_BYTES : SSM_ADVANCED_MAX_BYTES;
  if (bytes > limit) {
    const fix = limit === SSM_STANDARD_MAX_BYTES ? " Set 'tier' to 'Advanced' (up to 8192 bytes) or use backend 'secretsmanager'." : " Use backend 'secretsmanager' (up to 65536 bytes).";
    throw new InvalidPropertyError(property, `is ${bytes} bytes; an SSM ${tier ?? 'Standard'} parameter holds at most ${limit} bytes.${fix}`);
  }
  if (/\{\{.*\}\}/s.test(value)) {
    throw new InvalidPropertyError(property, "must not contain '{{…}}': SSM rejects references inside parameter values.");
  }
}
