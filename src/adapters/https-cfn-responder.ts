import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { setTimeout as wait } from 'node:timers/promises';
import type { CfnResponderPort, CfnResponse, SendOptions } from '../ports/cfn-responder.port.js';
import { CredentialError } from '../domain/credential-error.js';
import { serializeCfnResponse } from './cfn-response-body.js';
import { assertAllowedResponseUrl, describeResponseUrl } from './response-url-policy.js';

/** An attempt shorter than this cannot complete a TLS handshake and a PUT; not worth starting. */
const MIN_ATTEMPT_MS = 250;

/** The response could not be delivered after every attempt. */
export class ResponseDeliveryError extends CredentialError {
  readonly code = 'RESPONSE.UNDELIVERED';
}

export interface HttpsCfnResponderOptions {
  /** RESPONSE_URL_ALLOWED_HOSTS. */
  readonly allowedHosts: readonly string[];
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly attemptTimeoutMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * PUTs the response to the presigned ResponseURL: empty content-type (the URL was signed without
 * one), Content-Length in bytes, and bounded retries with full-jitter backoff, because a lost
 * response leaves the stack waiting for up to an hour.
 */
export class HttpsCfnResponder implements CfnResponderPort {
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly attemptTimeoutMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: HttpsCfnResponderOptions) {
    this.maxAttempts = options.maxAttempts ?? 5;
    if (!Number.isInteger(this.maxAttempts) || this.maxAttempts < 1) throw new RangeError(`maxAttempts must be a whole number ≥ 1, got ${this.maxAttempts}.`);
    this.baseDelayMs = options.baseDelayMs ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 4000;
    this.attemptTimeoutMs = options.attemptTimeoutMs ?? 4_000;
    this.sleep = options.sleep ?? ((ms) => wait(ms));
  }

  async send(responseUrl: string, response: CfnResponse, options: SendOptions = {}): Promise<void> {
    const url = assertAllowedResponseUrl(responseUrl, this.options.allowedHosts);
    const body = Buffer.from(serializeCfnResponse(response), 'utf8');
    const deadline = options.deadline ?? Number.POSITIVE_INFINITY;
    let lastProblem = '';
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      // Each attempt must end before the Lambda does: an attempt cut off by the runtime is worse
      // than a short one, because nothing is left to retry it.
      const timeLeft = deadline - Date.now();
      if (timeLeft < MIN_ATTEMPT_MS) {
        lastProblem ||= 'no time left before the Lambda timeout';
        break;
      }
      const result = await this.put(url, body, Math.min(this.attemptTimeoutMs, timeLeft));
      if (result.ok) return;
      lastProblem = result.problem;
      if (!result.retryable || attempt === this.maxAttempts) break;
      const ceiling = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1));
      await this.sleep(Math.min(Math.random() * ceiling, Math.max(0, deadline - Date.now() - MIN_ATTEMPT_MS)));
    }
    throw new ResponseDeliveryError(`Could not deliver the response to ${describeResponseUrl(responseUrl)}: ${lastProblem}`);
  }

  private put(url: URL, body: Buffer, timeoutMs: number): Promise<{ ok: true } | { ok: false; retryable: boolean; problem: string }> {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((settle) => {
      // A hard limit for the whole attempt: the socket's own timeout only measures silence, and a
      // server that trickles bytes would hold the attempt open indefinitely.
      const timer = setTimeout(() => request.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      const resolve = (result: { ok: true } | { ok: false; retryable: boolean; problem: string }) => {
        clearTimeout(timer);
        settle(result);
      };
      const request = send(
        url,
        // agent: false — a fresh connection per attempt; a pooled one may have died while the
        // Lambda was frozen between invocations.
        { method: 'PUT', headers: { 'content-type': '', 'content-length': body.byteLength }, timeout: timeoutMs, agent: false },
        (response) => {
          response.resume();
          response.on('error', (error) => resolve({ ok: false, retryable: true, problem: error.message }));
          response.on('end', () => {
            const status = response.statusCode ?? 0;
            if (status >= 200 && status < 300) resolve({ ok: true });
            // 4xx other than 429 means the URL is expired or the body was refused: repeating won't help.
            else resolve({ ok: false, retryable: status >= 500 || status === 429, problem: `HTTP ${status}` });
          });
        },
      );
      request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      request.on('error', (error) => resolve({ ok: false, retryable: true, problem: error.message }));
      request.end(body);
    });
  }
}
