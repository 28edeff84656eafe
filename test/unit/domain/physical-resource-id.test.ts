import { describe, expect, it } from '@jest/globals';
import { createFailedId, parsePhysicalResourceId, secretsManagerArn, ssmParameterArn } from '../../../src/domain/physical-resource-id.js';

const scope = { partition: 'aws', accountId: '123456789012', region: 'eu-central-1' };

describe('Function: parsePhysicalResourceId', () => {
  it('reads backend, region, account and a hierarchical name from an SSM ARN', () => {
    const parsed = parsePhysicalResourceId('arn:aws-cn:ssm:cn-north-1:210987654321:parameter/app/db/password', scope);

    expect(parsed).toEqual({ kind: 'secret', address: { backend: 'ssm', partition: 'aws-cn', region: 'cn-north-1', accountId: '210987654321', name: '/app/db/password' } });
  });

  it.each([
    [undefined, 'db'],
    ['db', 'db'],
    ['/db', '/db'],
    ['/other', 'db'],
  ])("settles the single-level SSM ambiguity ('db' or '/db') with the key hint %p", (hint, expected) => {
    const parsed = parsePhysicalResourceId('arn:aws:ssm:eu-central-1:123456789012:parameter/db', scope, hint);

    expect(parsed.kind === 'secret' && parsed.address.name).toBe(expected);
  });

  it('round-trips the ARNs it formats', () => {
    for (const name of ['db', '/db', '/a/b/c']) {
      const parsed = parsePhysicalResourceId(ssmParameterArn({ ...scope, name }), scope, name);
      expect(parsed).toEqual({ kind: 'secret', address: { ...scope, backend: 'ssm', name } });
    }
    const sm = parsePhysicalResourceId(secretsManagerArn({ ...scope, name: 'app/db-password' }, 'Ab12Cd'), scope);
    expect(sm).toEqual({ kind: 'secret', address: { ...scope, backend: 'secretsmanager', name: 'app/db-password' } });
  });

  it("reads the seed's bare parameter name as an SSM parameter in the stack's scope", () => {
    expect(parsePhysicalResourceId('/test/testing12345', scope)).toEqual({ kind: 'secret', address: { ...scope, backend: 'ssm', name: '/test/testing12345' } });
  });

  it('recognises the id of a failed Create', () => {
    expect(parsePhysicalResourceId(createFailedId('9bf90339-c6f0-47ff-ad67-e19226facf6e'), scope)).toEqual({ kind: 'create-failed' });
    expect(parsePhysicalResourceId(createFailedId(''), scope)).toEqual({ kind: 'create-failed' });
  });

  it.each([
    'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED',
    'arn:aws:s3:::bucket',
    'arn:aws:ssm:eu-central-1:123456789012:document/x',
    'arn:aws:secretsmanager:eu-central-1:123456789012:secret:nosuffix',
    'CustomResourcesGolang-SSMCredential-2023/03/31/[$LATEST]abc',
  ])('does not claim an id it never issued: %s', (id) => {
    expect(parsePhysicalResourceId(id, scope)).toEqual({ kind: 'unrecognized' });
  });
});
