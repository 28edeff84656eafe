/**
 * Turns AWS SDK errors into text that is safe to put in a CloudFormation event or a log line.
 * AWS validation errors echo request input (`Value 'hunter2' at 'value' failed to satisfy
 * constraint…`), so every piece of service text passes through here before it leaves an adapter.
 */

const MASK = '****';

/**
 * The echo format of AWS request validation (`Value '<input>' at '<member>'`). Every echoed input is
 * blanked, whatever the member, because a value that was truncated or escaped on its way into the
 * message no longer matches the exact-text replacement.
 */
const VALIDATION_ECHO = /Value '[\s\S]*?' at '([^']*)'/g;

/** The error's name as the service reported it (`TooManyUpdates`, `AccessDeniedException`, …), or `UnknownError`. */
export function errorName(error: unknown): string {
  if (isRecord(error) && typeof error['name'] === 'string' && error['name'] !== '') return error['name'];
  return 'UnknownError';
}

/** The service's own message with every given secret value and every validation echo replaced by `****`. */
export function scrubbedServiceMessage(error: unknown, secretValues: readonly string[]): string {
  return scrubText(rawMessage(error), secretValues);
}

/**
 * Scrubs the SDK error itself (message, stack and its string fields such as `Message`) in place and
 * returns it, so it can be kept as `cause`: Node prints the cause chain of a logged error.
 */
export function scrubbedCause<T>(error: T, secretValues: readonly string[]): T {
  if (!isRecord(error)) return error;
  const fields: Record<string, unknown> = error;
  for (const key of new Set([...Object.keys(fields), 'message', 'stack'])) {
    const text = fields[key];
    if (typeof text !== 'string') continue;
    try {
      fields[key] = scrubText(text, secretValues);
    } catch {
      // A read-only field is left as it is; the wrapping error's message is scrubbed regardless.
    }
  }
  return error;
}

/** `text` with every given secret value and every validation echo replaced by `****`. */
export function scrubText(text: string, secretValues: readonly string[]): string {
  let scrubbed = text;
  for (const secret of variantsOf(secretValues)) scrubbed = scrubbed.split(secret).join(MASK);
  return scrubbed.replace(VALIDATION_ECHO, `Value '${MASK}' at '$1'`);
}

/** Error names the SDK classifies as throttling (smithy `THROTTLING_ERROR_CODES`), seen here only once its own retries ran out. */
const THROTTLING_ERROR_NAMES = new Set([
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'TransactionInProgressException',
]);

/** True for an error the SDK classifies as throttling; seen by an adapter only once the SDK's own retries ran out. */
export function isThrottlingError(error: unknown): boolean {
  if (THROTTLING_ERROR_NAMES.has(errorName(error))) return true;
  const { $retryable, $metadata } = (typeof error === 'object' && error !== null ? error : {}) as {
    $retryable?: { throttling?: boolean };
    $metadata?: { httpStatusCode?: number };
  };
  return $retryable?.throttling === true || $metadata?.httpStatusCode === 429;
}

function rawMessage(error: unknown): string {
  if (isRecord(error)) {
    for (const key of ['message', 'Message']) {
      const text = error[key];
      if (typeof text === 'string' && text !== '') return text;
    }
  }
  return typeof error === 'string' ? error : 'no message';
}

/**
 * The values as they may appear in a message: verbatim and JSON-escaped (services that build the
 * message from the JSON request body escape quotes, backslashes and newlines). Longest first, so a
 * value that contains another one is masked whole.
 */
function variantsOf(secretValues: readonly string[]): string[] {
  const variants = new Set<string>();
  for (const value of secretValues) {
    if (value === '') continue;
    variants.add(value);
    variants.add(JSON.stringify(value).slice(1, -1));
  }
  return [...variants].sort((a, b) => b.length - a.length);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
