import { CredentialError } from '../../domain/credential-error.js';
import type { LifecycleRequest } from '../../domain/lifecycle-request.js';
import type { RawProperties } from '../../domain/raw-property.js';

/** The event is not a CloudFormation custom-resource request we can act on. */
export class MalformedEventError extends CredentialError {
  readonly code = 'EVENT.MALFORMED';
}

/** Whatever could be read from an event, even a malformed one, to address a FAILED response. */
export interface EventEnvelope {
  readonly responseUrl?: string;
  readonly requestId: string;
  readonly stackId: string;
  readonly logicalResourceId: string;
  readonly physicalResourceId?: string;
  readonly requestType?: string;
  readonly resourceType?: string;
}

export interface ParsedEvent {
  readonly envelope: EventEnvelope;
  /** Set when the event is valid; otherwise `problem` says why not. */
  readonly request?: LifecycleRequest;
  readonly problem?: MalformedEventError;
}

/**
 * Accepts a direct CloudFormation request or one wrapped in an SNS notification. Never throws:
 * a malformed event still yields the envelope needed to answer FAILED instead of leaving the
 * stack waiting.
 */
export function parseCfnEvent(event: unknown): ParsedEvent {
  const raw = unwrapSns(event);
  const envelope: EventEnvelope = {
    ...optional('responseUrl', text(raw, 'ResponseURL')),
    requestId: text(raw, 'RequestId') ?? '',
    stackId: text(raw, 'StackId') ?? '',
    logicalResourceId: text(raw, 'LogicalResourceId') ?? '',
    ...optional('physicalResourceId', text(raw, 'PhysicalResourceId')),
    ...optional('requestType', text(raw, 'RequestType')),
    ...optional('resourceType', text(raw, 'ResourceType')),
  };
  try {
    return { envelope, request: toRequest(raw, envelope) };
  } catch (error) {
    if (error instanceof MalformedEventError) return { envelope, problem: error };
    throw error;
  }
}

function toRequest(raw: Record<string, unknown>, envelope: EventEnvelope): LifecycleRequest {
  for (const field of ['RequestId', 'StackId', 'LogicalResourceId'] as const) {
    if (!text(raw, field)) throw new MalformedEventError(`The event has no '${field}'; it is not a CloudFormation custom-resource request.`);
  }
  const resourceType = envelope.resourceType ?? '';
  if (resourceType !== 'AWS::CloudFormation::CustomResource' && !/^Custom::[A-Za-z0-9_@-]{1,60}$/.test(resourceType)) {
    throw new MalformedEventError(`ResourceType '${resourceType.slice(0, 80)}' is not 'AWS::CloudFormation::CustomResource' or 'Custom::<Name>'.`);
  }
  const base = {
    requestId: envelope.requestId,
    stackId: envelope.stackId,
    logicalResourceId: envelope.logicalResourceId,
    properties: properties(raw, 'ResourceProperties'),
  };
  switch (envelope.requestType) {
    case 'Create':
      return { ...base, requestType: 'Create' };
    case 'Update':
      return { ...base, requestType: 'Update', physicalResourceId: requirePhysicalId(envelope), oldProperties: properties(raw, 'OldResourceProperties') };
    case 'Delete':
      return { ...base, requestType: 'Delete', physicalResourceId: requirePhysicalId(envelope) };
    default:
      throw new MalformedEventError(`RequestType '${(envelope.requestType ?? '').slice(0, 40)}' is not Create, Update or Delete.`);
  }
}

function unwrapSns(event: unknown): Record<string, unknown> {
  const record = asRecord(event);
  const records = record['Records'];
  if (Array.isArray(records) && records.length > 0) {
    // SNS-backed custom resources deliver the request as a JSON string in Records[0].Sns.Message.
    const messageText = asRecord(asRecord(records[0])['Sns'])['Message'];
    if (typeof messageText === 'string') {
      try {
        return asRecord(JSON.parse(messageText));
      } catch {
        return {};
      }
    }
  }
  return record;
}

function requirePhysicalId(envelope: EventEnvelope): string {
  if (!envelope.physicalResourceId) throw new MalformedEventError(`A ${envelope.requestType} request must carry a PhysicalResourceId.`);
  return envelope.physicalResourceId;
}

function properties(raw: Record<string, unknown>, field: string): RawProperties {
  const value = raw[field];
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new MalformedEventError(`'${field}' must be an object.`);
  return value as RawProperties;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function text(raw: Record<string, unknown>, field: string): string | undefined {
  const value = raw[field];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}
