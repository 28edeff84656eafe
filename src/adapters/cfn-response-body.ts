import type { CfnResponse } from '../ports/cfn-responder.port.js';

/** CloudFormation rejects larger bodies with "Response object is too long". Exactly 4096 is accepted. */
export const MAX_RESPONSE_BYTES = 4096;
const TRUNCATION_MARK = ' … (truncated)';

/**
 * Serializes a response so CloudFormation always accepts it: control characters (an ESC breaks
 * DescribeStackEvents) leave Reason, and an oversized body loses the end of its Reason — never
 * Data, which templates read. When Data alone is too big the response becomes FAILED without Data.
 */
export function serializeCfnResponse(response: CfnResponse): string {
  const sanitized = { ...response, ...(response.Reason !== undefined && { Reason: sanitizeReason(response.Reason) }) };
  const body = JSON.stringify(sanitized);
  if (Buffer.byteLength(body) <= MAX_RESPONSE_BYTES) return body;

  const withoutReason = JSON.stringify({ ...sanitized, Reason: '' });
  const room = MAX_RESPONSE_BYTES - Buffer.byteLength(withoutReason);
  if (room >= Buffer.byteLength(TRUNCATION_MARK) + 1) {
    return JSON.stringify({ ...sanitized, Reason: truncateToJsonBytes(sanitized.Reason ?? '', room - jsonBytes(TRUNCATION_MARK)) + TRUNCATION_MARK });
  }
  const failed: CfnResponse = {
    ...sanitized,
    Status: 'FAILED',
    Data: {},
    NoEcho: response.NoEcho,
    Reason: `The response Data is larger than CloudFormation's ${MAX_RESPONSE_BYTES}-byte limit; use a smaller value or turn 'returnValue' off.`,
  };
  return JSON.stringify(failed);
}

export function sanitizeReason(reason: string): string {
  // eslint-disable-next-line no-control-regex
  return reason.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
}

/** Bytes a string adds inside a JSON string literal (escapes included). */
function jsonBytes(text: string): number {
  return Buffer.byteLength(JSON.stringify(text)) - 2;
}

/** The longest prefix (whole code points) whose JSON-escaped form fits in `maxBytes`. */
function truncateToJsonBytes(text: string, maxBytes: number): string {
  let used = 0;
  let end = 0;
  for (const char of text) {
    const size = jsonBytes(char);
    if (used + size > maxBytes) break;
    used += size;
    end += char.length;
  }
  return text.slice(0, end);
}
