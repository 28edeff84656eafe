import type { RawProperties } from './raw-property.js';

interface RequestBase {
  readonly requestId: string;
  readonly stackId: string;
  readonly logicalResourceId: string;
  readonly properties: RawProperties;
}

/** A CloudFormation request, already unwrapped from its transport (direct, SNS, Provider). */
export type LifecycleRequest =
  | (RequestBase & { readonly requestType: 'Create' })
  | (RequestBase & { readonly requestType: 'Update'; readonly physicalResourceId: string; readonly oldProperties: RawProperties })
  | (RequestBase & { readonly requestType: 'Delete'; readonly physicalResourceId: string });

/** What CloudFormation should be told. `reason` is plain text and never holds a secret value. */
export interface LifecycleOutcome {
  readonly status: 'SUCCESS' | 'FAILED';
  readonly physicalResourceId: string;
  readonly data: Readonly<Record<string, string>>;
  readonly noEcho: boolean;
  readonly reason?: string;
  /** The error behind a FAILED outcome, for the log (after redaction); never sent to CloudFormation. */
  readonly error?: unknown;
}
