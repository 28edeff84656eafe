import { InvalidPropertyError } from './credential-error.js';

/**
 * CloudFormation delivers every scalar property as a string ("42", "true"); CDK and SAM users
 * sometimes send real JSON types through the Provider framework. These readers accept both.
 */
export type RawProperties = Readonly<Record<string, unknown>>;

export function readString(raw: RawProperties, property: string): string | undefined {
  const value = raw[property];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new InvalidPropertyError(property, `must be a string, got ${describeType(value)}.`);
  return value;
}

export function readBoolean(raw: RawProperties, property: string): boolean | undefined {
  const value = raw[property];
  if (value === undefined || value === null) return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new InvalidPropertyError(property, `must be 'true' or 'false', got ${describeType(value)}.`);
}

export function readInteger(raw: RawProperties, property: string): number | undefined {
  const value = raw[property];
  if (value === undefined || value === null) return undefined;
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !/^-?\d{1,6}$/.test(text.trim())) {
    throw new InvalidPropertyError(property, `must be a whole number, got ${describeType(value)}.`);
  }
  return Number(text.trim());
}

export function readStringMap(raw: RawProperties, property: string): Record<string, string> | undefined {
  const value = raw[property];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidPropertyError(property, `must be a map of strings (e.g. {"team": "payments"}), got ${describeType(value)}.`);
  }
  const map: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry === 'string') map[key] = entry;
    else if (typeof entry === 'number' || typeof entry === 'boolean') map[key] = String(entry);
    else throw new InvalidPropertyError(property, `entry '${key}' must be a string, got ${describeType(entry)}.`);
  }
  return map;
}

/** Names the type of a rejected value without ever printing it: it may be a secret. */
function describeType(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'string') return `a string of ${value.length} characters`;
  return `a ${typeof value}`;
}
