import type { BackendKind } from '../../domain/secret-address.js';

export type BackendSetting = BackendKind | 'memory';

/** Settings read once per process from the Lambda's environment. */
export interface LambdaConfig {
  readonly backend: BackendSetting;
  readonly responseMode: 'put' | 'return';
  readonly allowedResponseHosts: readonly string[];
  readonly allowedNamePrefixes: readonly string[];
  /** Misconfigurations: every request then fails with these, instead of guessing. */
  readonly problems: readonly string[];
}

const BACKENDS: readonly BackendSetting[] = ['ssm', 'secretsmanager', 'memory'];

export function readLambdaConfig(env: Readonly<Record<string, string | undefined>>): LambdaConfig {
  const problems: string[] = [];
  const backendText = (env['CREDENTIAL_BACKEND'] ?? '').trim() || 'ssm';
  if (!(BACKENDS as readonly string[]).includes(backendText)) {
    problems.push(`Environment variable CREDENTIAL_BACKEND must be one of ${BACKENDS.join(', ')}, got '${backendText.slice(0, 40)}'.`);
  }
  const modeText = (env['RESPONSE_MODE'] ?? '').trim() || 'put';
  if (modeText !== 'put' && modeText !== 'return') {
    problems.push(`Environment variable RESPONSE_MODE must be 'put' or 'return', got '${modeText.slice(0, 40)}'.`);
  }
  return {
    backend: (BACKENDS as readonly string[]).includes(backendText) ? (backendText as BackendSetting) : 'ssm',
    responseMode: modeText === 'return' ? 'return' : 'put',
    allowedResponseHosts: list(env['RESPONSE_URL_ALLOWED_HOSTS']).map((host) => host.toLowerCase()),
    allowedNamePrefixes: list(env['ALLOWED_NAME_PREFIXES']),
    problems,
  };
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}
