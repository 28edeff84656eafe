import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GetSecretValueCommand, DescribeSecretCommand, ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, ListTagsForResourceCommand, SSMClient, GetParametersByPathCommand } from '@aws-sdk/client-ssm';
import { motoClientConfig, MOTO_ACCOUNT, MOTO_REGION, uniqueName } from '../support/moto.js';
import { buildBundle, invokeBundle, ResponseBucket } from './bundle-harness.js';

const STACK_ID = `arn:aws:cloudformation:${MOTO_REGION}:${MOTO_ACCOUNT}:stack/E2E/4f1a6b30-d1a2-11ed-8c5e-0a1b2c3d4e5f`;
const LOGICAL_ID = 'SSMCredential21D358858';
const ssm = new SSMClient(motoClientConfig());
const secretsManager = new SecretsManagerClient(motoClientConfig());
const bucket = new ResponseBucket(uniqueName('cfn-responses').toLowerCase());

interface Step {
  readonly event: Record<string, unknown>;
  readonly key: string;
}

let sequence = 0;
async function step(requestType: 'Create' | 'Update' | 'Delete', fields: Record<string, unknown>): Promise<Step> {
  sequence += 1;
  const requestId = `e2e00000-0000-4000-8000-${String(sequence).padStart(12, '0')}`;
  const key = `responses/${requestId}`;
  return {
    key,
    event: {
      RequestType: requestType,
      RequestId: requestId,
      ResponseURL: await bucket.presignedUrl(key),
      ResourceType: 'AWS::CloudFormation::CustomResource',
      LogicalResourceId: LOGICAL_ID,
      StackId: STACK_ID,
      ...fields,
    },
  };
}

/** Every field of the response body against the custom-resource contract. */
async function responseOf(step: Step): Promise<Record<string, unknown>> {
  const body = await bucket.read(step.key);
  if (body === undefined) throw new Error(`no response arrived for ${step.event['RequestType']} ${step.key}`);
  expect(Buffer.byteLength(body)).toBeLessThanOrEqual(4096);
  const response = JSON.parse(body) as Record<string, unknown>;
  expect(Object.keys(response).sort()).toEqual(
    ['Data', 'LogicalResourceId', 'NoEcho', 'PhysicalResourceId', 'RequestId', 'StackId', 'Status', ...('Reason' in response ? ['Reason'] : [])].sort(),
  );
  expect(response).toMatchObject({ StackId: STACK_ID, RequestId: step.event['RequestId'], LogicalResourceId: LOGICAL_ID, NoEcho: false });
  expect(typeof response['PhysicalResourceId']).toBe('string');
  expect((response['PhysicalResourceId'] as string).length).toBeGreaterThan(0);
  return response;
}

const ssmValue = async (name: string): Promise<string | undefined> => {
  try {
    return (await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }))).Parameter?.Value;
  } catch {
    return undefined;
  }
};
const smState = async (name: string): Promise<'live' | 'scheduled' | 'absent'> => {
  try {
    return (await secretsManager.send(new DescribeSecretCommand({ SecretId: name }))).DeletedDate ? 'scheduled' : 'live';
  } catch {
    return 'absent';
  }
};

beforeAll(async () => {
  buildBundle();
  await bucket.create();
});

afterAll(() => {
  ssm.destroy();
  secretsManager.destroy();
});

describe('The packaged Lambda (dist/lambda/index.mjs) on moto', () => {
  it('creates, updates in place, replaces and deletes an SSM SecureString, answering every request through S3', async () => {
    const name = `/e2e/${uniqueName('ssm')}`;
    const renamed = `${name}-renamed`;
    const arn = `arn:aws:ssm:${MOTO_REGION}:${MOTO_ACCOUNT}:parameter${name}`;
    const renamedArn = `arn:aws:ssm:${MOTO_REGION}:${MOTO_ACCOUNT}:parameter${renamed}`;
    const props = { ServiceToken: 'arn:aws:lambda:eu-central-1:123456789012:function:f', key: name, value: 'some-secret-value' };
    const create = await step('Create', { ResourceProperties: props });
    const inPlace = await step('Update', { PhysicalResourceId: arn, ResourceProperties: { ...props, value: 'rotated-value', tags: { team: 'e2e' } }, OldResourceProperties: props });
    const replace = await step('Update', {
      PhysicalResourceId: arn,
      ResourceProperties: { ...props, key: renamed, value: 'rotated-value' },
      OldResourceProperties: { ...props, value: 'rotated-value', tags: { team: 'e2e' } },
    });
    const cleanup = await step('Delete', { PhysicalResourceId: arn, ResourceProperties: { ...props, value: 'rotated-value', tags: { team: 'e2e' } } });
    const remove = await step('Delete', { PhysicalResourceId: renamedArn, ResourceProperties: { ...props, key: renamed, value: 'rotated-value' } });

    const logs = invokeBundle([create.event, inPlace.event], { CREDENTIAL_BACKEND: 'ssm' });

    expect(await responseOf(create)).toEqual(expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: arn, Data: { Arn: arn, Name: name, Version: '1', Backend: 'ssm', Response: arn } }));
    expect(await responseOf(inPlace)).toEqual(expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: arn, Data: expect.objectContaining({ Version: '2' }) }));
    expect(await ssmValue(name)).toBe('rotated-value');
    const tags = (await ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: name }))).TagList;
    expect(tags).toEqual(
      expect.arrayContaining([
        { Key: 'team', Value: 'e2e' },
        { Key: 'credential-lifecycle:stack-id', Value: STACK_ID },
        { Key: 'credential-lifecycle:logical-id', Value: LOGICAL_ID },
      ]),
    );

    const laterLogs = invokeBundle([replace.event, cleanup.event], { CREDENTIAL_BACKEND: 'ssm' });
    expect(await responseOf(replace)).toEqual(expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: renamedArn }));
    expect(await responseOf(cleanup)).toEqual(expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: arn, Data: {} }));
    expect(await ssmValue(name)).toBeUndefined();
    expect(await ssmValue(renamed)).toBe('rotated-value');

    // A cold process with another default backend still deletes from the id alone.
    invokeBundle([remove.event], { CREDENTIAL_BACKEND: 'secretsmanager' });
    expect(await responseOf(remove)).toEqual(expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: renamedArn }));
    expect(await ssmValue(renamed)).toBeUndefined();

    for (const text of [logs, laterLogs]) {
      expect(text).not.toContain('some-secret-value');
      expect(text).not.toContain('rotated-value');
      expect(text).not.toContain('X-Amz-Signature');
    }
  });

  it("answers the seed's sample Create event, and FAILED with the property named for a bad one", async () => {
    const seed = await step('Create', {
      LogicalResourceId: LOGICAL_ID,
      ResourceProperties: { ServiceToken: 'arn:aws:lambda:eu-central-1:123456789012:function:CustomResourcesGolang-Function', key: '/test/testing12345', value: 'some-secret-value' },
    });
    const bad = await step('Create', { ResourceProperties: { key: '/test/bad key', value: 'some-secret-value' } });
    const badDelete = await step('Delete', { PhysicalResourceId: 'placeholder', ResourceProperties: { key: '/test/bad key', value: 'some-secret-value' } });

    invokeBundle([seed.event, bad.event], {});
    const failed = await responseOf(bad);
    (badDelete.event as { PhysicalResourceId: string }).PhysicalResourceId = failed['PhysicalResourceId'] as string;
    invokeBundle([badDelete.event], {});

    expect(await responseOf(seed)).toEqual(expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: `arn:aws:ssm:${MOTO_REGION}:${MOTO_ACCOUNT}:parameter/test/testing12345` }));
    expect(failed).toEqual(expect.objectContaining({ Status: 'FAILED', Data: {} }));
    expect(failed['Reason']).toContain("Property 'key' may contain only letters");
    expect(await responseOf(badDelete)).toEqual(expect.objectContaining({ Status: 'SUCCESS' }));
  });

  it('with CREDENTIAL_BACKEND=secretsmanager creates, updates and deletes a secret', async () => {
    const name = `e2e/${uniqueName('sm')}`;
    const props = { key: name, value: 'sm-secret-value', description: 'e2e' };
    const create = await step('Create', { ResourceProperties: props });
    invokeBundle([create.event], { CREDENTIAL_BACKEND: 'secretsmanager' });
    const created = await responseOf(create);
    const arn = created['PhysicalResourceId'] as string;
    expect(created).toEqual(expect.objectContaining({ Status: 'SUCCESS', Data: expect.objectContaining({ Arn: arn, Name: name, Backend: 'secretsmanager' }) }));
    expect(arn).toMatch(new RegExp(`^arn:aws:secretsmanager:${MOTO_REGION}:${MOTO_ACCOUNT}:secret:${name}-[A-Za-z0-9]{6}$`));

    const update = await step('Update', { PhysicalResourceId: arn, ResourceProperties: { ...props, value: 'sm-rotated' }, OldResourceProperties: props });
    const remove = await step('Delete', { PhysicalResourceId: arn, ResourceProperties: { ...props, value: 'sm-rotated' } });
    const logs = invokeBundle([update.event, remove.event], { CREDENTIAL_BACKEND: 'secretsmanager' });

    const updated = await responseOf(update);
    expect(updated).toEqual(expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: arn }));
    expect((updated['Data'] as Record<string, string>)['Version']).not.toBe((created['Data'] as Record<string, string>)['Version']);
    expect(await responseOf(remove)).toEqual(expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: arn }));
    expect(await smState(name)).toBe('scheduled'); // default recovery window: 7 days
    expect(logs).not.toContain('sm-secret-value');
    expect(logs).not.toContain('sm-rotated');
  });

  it('switching one resource ssm → secretsmanager → ssm leaves exactly one secret, in the right store, after each step', async () => {
    const name = `/e2e/${uniqueName('swap')}`;
    const onSsm = { key: name, value: 'swap-value', backend: 'ssm' };
    const onSm = { key: name, value: 'swap-value', backend: 'secretsmanager', recoveryWindowInDays: '0' };
    const exactlyOne = async (where: 'ssm' | 'secretsmanager') => {
      const inSsm = (await ssm.send(new GetParametersByPathCommand({ Path: '/e2e', Recursive: true }))).Parameters?.filter((p) => p.Name === name).length ?? 0;
      const inSm = (await secretsManager.send(new ListSecretsCommand({ IncludePlannedDeletion: true, Filters: [{ Key: 'name', Values: [name] }] }))).SecretList?.filter((s) => s.Name === name).length ?? 0;
      expect({ inSsm, inSm }).toEqual(where === 'ssm' ? { inSsm: 1, inSm: 0 } : { inSsm: 0, inSm: 1 });
    };

    const create = await step('Create', { ResourceProperties: onSsm });
    invokeBundle([create.event], {});
    const ssmId = (await responseOf(create))['PhysicalResourceId'] as string;
    await exactlyOne('ssm');

    const toSm = await step('Update', { PhysicalResourceId: ssmId, ResourceProperties: onSm, OldResourceProperties: onSsm });
    invokeBundle([toSm.event], {});
    const smId = (await responseOf(toSm))['PhysicalResourceId'] as string;
    expect(smId).toMatch(/^arn:aws:secretsmanager:/);
    const cleanupSsm = await step('Delete', { PhysicalResourceId: ssmId, ResourceProperties: onSsm });
    invokeBundle([cleanupSsm.event], {});
    expect((await responseOf(cleanupSsm))['Status']).toBe('SUCCESS');
    await exactlyOne('secretsmanager');
    expect((await secretsManager.send(new GetSecretValueCommand({ SecretId: name }))).SecretString).toBe('swap-value');

    const back = await step('Update', { PhysicalResourceId: smId, ResourceProperties: onSsm, OldResourceProperties: onSm });
    const cleanupSm = await step('Delete', { PhysicalResourceId: smId, ResourceProperties: onSm });
    invokeBundle([back.event, cleanupSm.event], { CREDENTIAL_BACKEND: 'secretsmanager' });
    expect(await responseOf(back)).toEqual(expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: ssmId }));
    expect((await responseOf(cleanupSm))['Status']).toBe('SUCCESS');
    await exactlyOne('ssm');
    expect(await ssmValue(name)).toBe('swap-value');
  });
});
