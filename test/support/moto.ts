/** Connection settings for AWS SDK clients talking to the test run's moto server. */
export function motoEndpoint(): string {
  const endpoint = process.env['MOTO_ENDPOINT'];
  if (!endpoint) throw new Error('MOTO_ENDPOINT is not set: run the tests through jest (its global setup starts moto).');
  return endpoint;
}

export const MOTO_REGION = 'eu-central-1';
export const MOTO_ACCOUNT = '123456789012';

export function motoClientConfig(): { region: string; endpoint: string; credentials: { accessKeyId: string; secretAccessKey: string } } {
  return { region: MOTO_REGION, endpoint: motoEndpoint(), credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
}

/** A name no other test uses, so suites can share one moto server without a reset. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 9)}`;
}
