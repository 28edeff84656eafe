import { CredentialError } from '../domain/credential-error.js';

/** The ResponseURL is not one this Lambda may send to (a presigned URL is a credential). */
export class ResponseUrlRejectedError extends CredentialError {
  readonly code = 'RESPONSE_URL.REJECTED';
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/**
 * Only https to `*.amazonaws.com(.cn)` by default; `extraHosts` (RESPONSE_URL_ALLOWED_HOSTS) adds
 * hosts such as an emulator's, and plain http is allowed only for loopback ones.
 */
export function assertAllowedResponseUrl(responseUrl: string, extraHosts: readonly string[]): URL {
  let url: URL;
  try {
    url = new URL(responseUrl);
  } catch (cause) {
    throw new ResponseUrlRejectedError('ResponseURL is not a valid URL.', { cause });
  }
  const host = url.hostname.toLowerCase();
  const isAws = host.endsWith('.amazonaws.com') || host.endsWith('.amazonaws.com.cn');
  const allowed = extraHosts.map((extra) => extra.toLowerCase());
  const isExtra = allowed.includes(host) || allowed.includes(url.host.toLowerCase());
  if (!isAws && !isExtra) {
    throw new ResponseUrlRejectedError(`ResponseURL host '${host}' is not allowed; add it to RESPONSE_URL_ALLOWED_HOSTS if it is an emulator.`);
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && isExtra && LOOPBACK_HOSTS.has(host)) return url;
  throw new ResponseUrlRejectedError(`ResponseURL must use https (plain http only for loopback hosts), got '${url.protocol}'.`);
}

/** Scheme, host and path: enough to debug, without the signature that makes the URL a credential. */
export function describeResponseUrl(responseUrl: string): string {
  try {
    const url = new URL(responseUrl);
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}
