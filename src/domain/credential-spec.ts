import { InvalidPropertyError } from './credential-error.js';
import { OWNERSHIP_TAG_PREFIX } from './ownership.js';
import { readBoolean, readInteger, readString, readStringMap, type RawProperties } from './raw-property.js';
import { assertValidSecretsManagerName } from './secrets-manager-name-rules.js';
import { assertValidSecretValue } from './secret-value-rules.js';
import { BACKEND_KINDS, type AwsScope, type BackendKind } from './secret-address.js';
import { assertValidSsmName } from './ssm-name-rules.js';
import { SSM_TIERS, type SsmTier } from './ssm-tier.js';

/** What one custom resource asks for, validated. */
export interface CredentialSpec {
  readonly key: string;
  readonly value: string;
  readonly backend: BackendKind;
  readonly description?: string;
  readonly kmsKeyId?: string;
  readonly tier?: SsmTier;
  readonly tags: Readonly<Record<string, string>>;
  readonly adoptExisting: boolean;
  readonly recoveryWindowInDays: number;
  readonly returnValue: boolean;
}

/** Lambda-wide settings that shape validation. */
export interface SpecPolicy {
  readonly defaultBackend: BackendKind;
  readonly allowedNamePrefixes: readonly string[];
}

export const DEFAULT_RECOVERY_WINDOW_IN_DAYS = 7;

/** Properties CloudFormation itself adds; they are not the user's. */
const FRAMEWORK_PROPERTIES = new Set(['ServiceToken', 'ServiceTimeout']);
const SUPPORTED_PROPERTIES = [
  'key', 'value', 'backend', 'description', 'kmsKeyId', 'tags', 'tier',
  'adoptExisting', 'recoveryWindowInDays', 'returnValue',
] as const;
/** Part of the public contract, not implemented by this version: rejected with a clear reason. */
const PLANNED_PROPERTIES = new Set(['encryptedValue', 'encryptionContext', 'generate', 'rotationToken']);
/** Rejected inputs are not quoted back: a misplaced secret would land in the stack events. */
const NOT_ECHOED = '; the value given is not repeated here';
const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const MAX_USER_TAGS = 48; // SSM allows 50 tags per resource; two are ownership tags.

/**
 * Validates ResourceProperties completely before any call: every failure names the property,
 * the rule and the fix, and never contains the secret value.
 */
export function parseCredentialSpec(raw: RawProperties, scope: AwsScope, policy: SpecPolicy): CredentialSpec {
  rejectUnknownProperties(raw);
  const key = readString(raw, 'key');
  if (key === undefined || key.length === 0) {
    throw new InvalidPropertyError('key', "is required: the SSM parameter or secret name, e.g. '/app/db/password'.");
  }
  const backend = readBackend(raw, policy.defaultBackend);
  assertAllowedPrefix(key, policy.allowedNamePrefixes);
  if (backend === 'ssm') assertValidSsmName(key, scope);
  else assertValidSecretsManagerName(key);

  const tier = readTier(raw, backend);
  const value = readString(raw, 'value');
  if (value === undefined) throw new InvalidPropertyError('value', 'is required: the secret value to store.');
  assertValidSecretValue('value', value, backend, tier);

  const description = readString(raw, 'description');
  const descriptionLimit = backend === 'ssm' ? 1024 : 2048;
  if (description !== undefined && description.length > descriptionLimit) {
    throw new InvalidPropertyError('description', `must be at most ${descriptionLimit} characters for ${backend}, has ${description.length}.`);
  }
  const kmsKeyId = readString(raw, 'kmsKeyId');
  if (kmsKeyId !== undefined && (kmsKeyId.length === 0 || kmsKeyId.length > 2048)) {
    throw new InvalidPropertyError('kmsKeyId', 'must be a KMS key id, alias (alias/…) or ARN of 1–2048 characters.');
  }
  return {
    key,
    value,
    backend,
    ...(description !== undefined && { description }),
    ...(kmsKeyId !== undefined && { kmsKeyId }),
    ...(tier !== undefined && { tier }),
    tags: readTags(raw),
    adoptExisting: readBoolean(raw, 'adoptExisting') ?? false,
    recoveryWindowInDays: readRecoveryWindow(raw, backend),
    returnValue: readBoolean(raw, 'returnValue') ?? false,
  };
}

/**
 * A Delete must never fail on properties written for an older or newer handler version, so it
 * reads only the recovery window, and falls back to the default when that is unreadable.
 */
export function lenientRecoveryWindow(raw: RawProperties): number {
  try {
    const days = readInteger(raw, 'recoveryWindowInDays');
    if (days === 0 || (days !== undefined && days >= 7 && days <= 30)) return days;
  } catch {
    // fall through to the default
  }
  return DEFAULT_RECOVERY_WINDOW_IN_DAYS;
}

function rejectUnknownProperties(raw: RawProperties): void {
  for (const property of Object.keys(raw)) {
    if (FRAMEWORK_PROPERTIES.has(property) || (SUPPORTED_PROPERTIES as readonly string[]).includes(property)) continue;
    if (PLANNED_PROPERTIES.has(property)) {
      throw new InvalidPropertyError(property, "is not supported by this version of credential-lifecycle yet; use 'value'.");
    }
    throw new InvalidPropertyError(property, `is not a known property. Known properties: ${SUPPORTED_PROPERTIES.join(', ')}.`);
  }
}

function readBackend(raw: RawProperties, fallback: BackendKind): BackendKind {
  const backend = readString(raw, 'backend');
  if (backend === undefined) return fallback;
  if (!(BACKEND_KINDS as readonly string[]).includes(backend)) {
    throw new InvalidPropertyError('backend', `must be one of ${BACKEND_KINDS.map((b) => `'${b}'`).join(', ')} (lower case)${NOT_ECHOED}.`);
  }
  return backend as BackendKind;
}

function assertAllowedPrefix(key: string, prefixes: readonly string[]): void {
  if (prefixes.length === 0 || prefixes.some((prefix) => key.startsWith(prefix))) return;
  throw new InvalidPropertyError('key', `must start with one of the prefixes this Lambda allows (ALLOWED_NAME_PREFIXES): ${prefixes.join(', ')}.`);
}

function readTier(raw: RawProperties, backend: BackendKind): SsmTier | undefined {
  const tier = readString(raw, 'tier');
  if (tier === undefined) return undefined;
  if (backend !== 'ssm') throw new InvalidPropertyError('tier', "applies only to backend 'ssm'; remove it.");
  if (!(SSM_TIERS as readonly string[]).includes(tier)) {
    throw new InvalidPropertyError('tier', `must be one of ${SSM_TIERS.join(', ')}${NOT_ECHOED}.`);
  }
  return tier as SsmTier;
}

function readRecoveryWindow(raw: RawProperties, backend: BackendKind): number {
  const days = readInteger(raw, 'recoveryWindowInDays');
  if (days === undefined) return DEFAULT_RECOVERY_WINDOW_IN_DAYS;
  if (backend !== 'secretsmanager') {
    throw new InvalidPropertyError('recoveryWindowInDays', "applies only to backend 'secretsmanager'; remove it.");
  }
  if (days !== 0 && (days < 7 || days > 30)) {
    throw new InvalidPropertyError('recoveryWindowInDays', `must be 0 (delete at once) or between 7 and 30 days, got ${days}.`);
  }
  return days;
}

function readTags(raw: RawProperties): Record<string, string> {
  const tags = readStringMap(raw, 'tags') ?? {};
  const keys = Object.keys(tags);
  if (keys.length > MAX_USER_TAGS) throw new InvalidPropertyError('tags', `may hold at most ${MAX_USER_TAGS} tags, has ${keys.length}.`);
  for (const key of keys) {
    if (key.length === 0 || key.length > 128) throw new InvalidPropertyError('tags', `key '${key.slice(0, 40)}' must be 1–128 characters.`);
    if (key.startsWith(OWNERSHIP_TAG_PREFIX) || key.toLowerCase().startsWith('aws:')) {
      throw new InvalidPropertyError('tags', `key '${key.slice(0, 60)}' uses a reserved prefix ('${OWNERSHIP_TAG_PREFIX}' or 'aws:').`);
    }
    if ((tags[key] ?? '').length > 256) throw new InvalidPropertyError('tags', `value of '${key.slice(0, 60)}' must be at most 256 characters.`);
    if (!TAG_CHARACTERS.test(key) || !TAG_CHARACTERS.test(tags[key] ?? '')) {
      throw new InvalidPropertyError('tags', `entry '${key.slice(0, 60)}' may contain only letters, digits, spaces and _ . : / = + - @ (AWS tag rules).`);
    }
  }
  return tags;
}
