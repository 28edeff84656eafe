import type { CredentialLifecycle } from '../../domain/credential-lifecycle.js';
import type { LifecycleOutcome, LifecycleRequest } from '../../domain/lifecycle-request.js';
import { createFailedId } from '../../domain/physical-resource-id.js';
import type { CfnResponderPort, CfnResponse } from '../../ports/cfn-responder.port.js';
import { sanitizeReason } from '../../adapters/cfn-response-body.js';
import { describeResponseUrl } from '../../adapters/response-url-policy.js';
import { parseCfnEvent, type EventEnvelope } from './cfn-event.js';
import type { LambdaConfig } from './lambda-config.js';
import { RequestLog, type LogSink } from './request-log.js';
import { SecretRedactor } from './secret-redactor.js';
import { InvocationTimeoutError, raceWithDeadline, type InvocationClock } from './timeout-guard.js';

/** What the CDK Provider framework expects back in RESPONSE_MODE=return. */
export interface ProviderResult {
  readonly PhysicalResourceId: string;
  readonly Data: Readonly<Record<string, string>>;
  readonly NoEcho: boolean;
}

/**
 * The Lambda's whole job for one event: unwrap it, let the lifecycle decide, and make sure
 * CloudFormation hears back exactly once — also for a malformed event, a misconfiguration, a
 * thrown error or a looming timeout. It decides no lifecycle rule itself.
 */
export class CustomResourceHandler {
  constructor(
    private readonly lifecycle: CredentialLifecycle,
    private readonly responder: CfnResponderPort,
    private readonly config: LambdaConfig,
    private readonly sink: LogSink,
  ) {}

  async handle(event: unknown, clock?: InvocationClock): Promise<ProviderResult | undefined> {
    const redactor = SecretRedactor.forEvent(event);
    const { envelope, request, problem } = parseCfnEvent(event);
    const log = new RequestLog(this.sink, redactor, {
      requestType: envelope.requestType,
      requestId: envelope.requestId,
      logicalResourceId: envelope.logicalResourceId,
      physicalResourceId: envelope.physicalResourceId,
      responseUrl: envelope.responseUrl && describeResponseUrl(envelope.responseUrl),
    });
    log.info('Received request', { resourceType: envelope.resourceType, key: keyOf(request) });

    let outcome: LifecycleOutcome;
    if (this.config.problems.length > 0) outcome = failed(envelope, this.config.problems.join(' '));
    else if (problem || !request) outcome = failed(envelope, problem?.message ?? 'Malformed event.');
    else {
      try {
        outcome = await raceWithDeadline(this.lifecycle.handle(request), clock);
      } catch (error) {
        outcome = failed(envelope, error instanceof InvocationTimeoutError ? error.message : 'Unexpected error in credential-lifecycle; see the Lambda log.', error);
      }
    }
    if (outcome.error !== undefined) log.error('Request failed', outcome.error);

    const response = toResponse(envelope, outcome, redactor);
    log.info('Responding', { status: response.Status, reason: response.Reason, responsePhysicalResourceId: response.PhysicalResourceId });
    if (this.config.responseMode === 'return') return toProviderResult(response);

    if (!envelope.responseUrl) {
      log.info('No ResponseURL in the event: nothing to answer.');
      return undefined;
    }
    try {
      await this.responder.send(envelope.responseUrl, response, deadlineOf(clock));
      log.info('Response delivered', { status: response.Status });
    } catch (error) {
      // Nothing left to tell CloudFormation through; the log is the last witness.
      log.error('Response not delivered', error);
    }
    return undefined;
  }
}

/** Stop sending a little before the runtime would freeze us mid-request. */
function deadlineOf(clock: InvocationClock | undefined): { deadline?: number } {
  const remaining = clock?.getRemainingTimeInMillis();
  return remaining === undefined || !Number.isFinite(remaining) ? {} : { deadline: Date.now() + remaining - 500 };
}

function failed(envelope: EventEnvelope, reason: string, error?: unknown): LifecycleOutcome {
  const physicalResourceId = envelope.physicalResourceId ?? createFailedId(envelope.requestId);
  return { status: 'FAILED', physicalResourceId, data: {}, noEcho: false, reason, ...(error !== undefined && { error }) };
}

function toResponse(envelope: EventEnvelope, outcome: LifecycleOutcome, redactor: SecretRedactor): CfnResponse {
  const reason = outcome.reason === undefined ? undefined : sanitizeReason(redactor.redact(outcome.reason));
  return {
    Status: outcome.status,
    ...(reason !== undefined && { Reason: reason }),
    PhysicalResourceId: outcome.physicalResourceId,
    StackId: envelope.stackId,
    RequestId: envelope.requestId,
    LogicalResourceId: envelope.logicalResourceId,
    NoEcho: outcome.noEcho,
    Data: outcome.data,
  };
}

function toProviderResult(response: CfnResponse): ProviderResult {
  // The Provider framework turns a thrown error into FAILED with the message as Reason.
  if (response.Status === 'FAILED') throw new Error(response.Reason ?? 'FAILED');
  return { PhysicalResourceId: response.PhysicalResourceId, Data: response.Data, NoEcho: response.NoEcho };
}

/** The requested key, for the log: a name is not a secret. */
function keyOf(request: LifecycleRequest | undefined): string | undefined {
  const key = request?.properties['key'];
  return typeof key === 'string' ? key.slice(0, 256) : undefined;
}
