import { describe, expect, it } from '@jest/globals';
import { InMemorySecretStore } from '../../../src/adapters/in-memory-secret-store.js';
import { RecordingCfnResponder } from '../../../src/adapters/recording-cfn-responder.js';
import { createCustomResourceHandler } from '../../../src/entrypoints/lambda/composition-root.js';
import type { SecretStorePort } from '../../../src/ports/secret-store.port.js';
import { LOGICAL_ID, STACK_ID } from '../../support/lifecycle-fixtures.js';

const RESPONSE_URL = 'https://cloudformation-custom-resource-response-eucentral1.s3.eu-central-1.amazonaws.com/arn%3Aaws/r-1?X-Amz-Signature=topsecretsignature';
const SECRET = 'some-secret-value';

function seedCreate(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    RequestType: 'Create',
    RequestId: '9bf90339-c6f0-47ff-ad67-e19226facf6e',
    ResponseURL: RESPONSE_URL,
    ResourceType: 'AWS::CloudFormation::CustomResource',
    LogicalResourceId: LOGICAL_ID,
    StackId: STACK_ID,
    ResourceProperties: { ServiceToken: 'arn:aws:lambda:eu-central-1:123456789012:function:f', key: '/test/testing12345', value: SECRET },
    ...overrides,
  };
}

function harness(env: Record<string, string> = {}, store: SecretStorePort = new InMemorySecretStore('ssm')) {
  const responder = new RecordingCfnResponder();
  const logs: string[] = [];
  const handler = createCustomResourceHandler(
    { AWS_REGION: 'eu-central-1', ...env },
    { responder, logSink: (line) => logs.push(line), storeFactories: { ssm: () => store, secretsmanager: () => new InMemorySecretStore('secretsmanager') } },
  );
  return { handler, responder, logs };
}

describe('Class: CustomResourceHandler', () => {
  it("answers the seed's sample Create event unchanged with SUCCESS and the attributes", async () => {
    const { handler, responder } = harness();

    await handler.handle(seedCreate());

    expect(responder.responses).toHaveLength(1);
    expect(responder.responses[0]?.responseUrl).toBe(RESPONSE_URL);
    expect(responder.last()).toEqual({
      Status: 'SUCCESS',
      PhysicalResourceId: 'arn:aws:ssm:eu-central-1:123456789012:parameter/test/testing12345',
      StackId: STACK_ID,
      RequestId: '9bf90339-c6f0-47ff-ad67-e19226facf6e',
      LogicalResourceId: LOGICAL_ID,
      NoEcho: false,
      Data: {
        Arn: 'arn:aws:ssm:eu-central-1:123456789012:parameter/test/testing12345',
        Name: '/test/testing12345',
        Version: '1',
        Backend: 'ssm',
        Response: 'arn:aws:ssm:eu-central-1:123456789012:parameter/test/testing12345',
      },
    });
  });

  it.each(['Custom::SSMCredential', 'Custom::Secret_v2'])('accepts resource type %s', async (resourceType) => {
    const { handler, responder } = harness();

    await handler.handle(seedCreate({ ResourceType: resourceType }));

    expect(responder.last()?.Status).toBe('SUCCESS');
  });

  it.each([
    [{ ResourceType: 'AWS::CloudFormation:CustomResource' }, "ResourceType 'AWS::CloudFormation:CustomResource' is not"],
    [{ RequestType: 'Upsert' }, "RequestType 'Upsert' is not Create, Update or Delete"],
    [{ RequestType: 'Update' }, 'must carry a PhysicalResourceId'],
    [{ ResourceProperties: 'key=/a' }, "'ResourceProperties' must be an object"],
    [{ LogicalResourceId: undefined }, "The event has no 'LogicalResourceId'"],
  ])('answers FAILED for a malformed event %j', async (overrides, reason) => {
    const { handler, responder } = harness();

    await handler.handle(seedCreate(overrides));

    expect(responder.last()).toMatchObject({ Status: 'FAILED', RequestId: '9bf90339-c6f0-47ff-ad67-e19226facf6e' });
    expect(responder.last()?.Reason).toContain(reason);
    expect(responder.last()?.PhysicalResourceId.length).toBeGreaterThan(0);
  });

  it('answers FAILED for a missing property, naming it', async () => {
    const { handler, responder } = harness();

    await handler.handle(seedCreate({ ResourceProperties: { value: SECRET } }));

    expect(responder.last()?.Status).toBe('FAILED');
    expect(responder.last()?.Reason).toContain("Property 'key' is required");
  });

  it('answers FAILED when the store throws something unexpected, and logs it without the secret', async () => {
    const store = new InMemorySecretStore('ssm');
    store.injectFault('describe', new Error(`driver exploded while holding ${SECRET}`));
    const { handler, responder, logs } = harness({}, store);

    await handler.handle(seedCreate());

    expect(responder.last()?.Status).toBe('FAILED');
    expect(responder.last()?.Reason).toBe('Unexpected Error in credential-lifecycle; see the Lambda log.');
    expect(logs.join('\n')).toContain('driver exploded while holding ****');
    expect(logs.join('\n')).not.toContain(SECRET);
  });

  it('answers FAILED shortly before the Lambda timeout when the store hangs', async () => {
    const store = new InMemorySecretStore('ssm');
    const hanging: SecretStorePort = { ...bindAll(store), describe: () => new Promise(() => undefined) };
    const { handler, responder } = harness({}, hanging);

    await handler.handle(seedCreate(), { getRemainingTimeInMillis: () => 5_050 });

    expect(responder.last()?.Status).toBe('FAILED');
    expect(responder.last()?.Reason).toContain('Timed out');
    expect(responder.last()?.PhysicalResourceId).toMatch(/^credential-lifecycle:create-failed:/);
  });

  it('unwraps an SNS-delivered request', async () => {
    const { handler, responder } = harness();

    await handler.handle({ Records: [{ EventSource: 'aws:sns', Sns: { Message: JSON.stringify(seedCreate()) } }] });

    expect(responder.last()).toMatchObject({ Status: 'SUCCESS', RequestId: '9bf90339-c6f0-47ff-ad67-e19226facf6e' });
  });

  it('never logs the value, the event or the ResponseURL signature', async () => {
    const { handler, logs } = harness();

    await handler.handle(seedCreate());
    await handler.handle(seedCreate({ ResourceProperties: { key: '/x', value: SECRET, bogus: SECRET } }));

    const text = logs.join('\n');
    expect(logs.length).toBeGreaterThanOrEqual(4);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('topsecretsignature');
    expect(text).toContain('cloudformation-custom-resource-response-eucentral1.s3.eu-central-1.amazonaws.com');
    for (const line of logs) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('redacts the value from a Reason even when it was put in the wrong property', async () => {
    const { handler, responder } = harness();

    await handler.handle(seedCreate({ ResourceProperties: { key: '/x', value: SECRET, tags: { [`${SECRET}!`]: 'x' } } }));

    expect(responder.last()?.Status).toBe('FAILED');
    expect(JSON.stringify(responder.last())).not.toContain(SECRET);
  });

  it('fails every request with the reason when the Lambda is misconfigured', async () => {
    const { handler, responder } = harness({ CREDENTIAL_BACKEND: 'vault' });

    await handler.handle(seedCreate());

    expect(responder.last()?.Status).toBe('FAILED');
    expect(responder.last()?.Reason).toContain('CREDENTIAL_BACKEND must be one of ssm, secretsmanager, memory');
  });

  describe('RESPONSE_MODE=return (CDK Provider framework)', () => {
    it('returns PhysicalResourceId, Data and NoEcho instead of sending', async () => {
      const { handler, responder } = harness({ RESPONSE_MODE: 'return' });

      const result = await handler.handle(seedCreate());

      expect(responder.responses).toHaveLength(0);
      expect(result).toMatchObject({ PhysicalResourceId: 'arn:aws:ssm:eu-central-1:123456789012:parameter/test/testing12345', NoEcho: false, Data: { Name: '/test/testing12345' } });
    });

    it('throws the reason so the framework answers FAILED', async () => {
      const { handler } = harness({ RESPONSE_MODE: 'return' });

      await expect(handler.handle(seedCreate({ ResourceProperties: { key: '/x' } }))).rejects.toThrow("Property 'value' is required");
    });
  });
});

function bindAll(store: InMemorySecretStore): SecretStorePort {
  return {
    describe: store.describe.bind(store),
    create: store.create.bind(store),
    overwrite: store.overwrite.bind(store),
    restore: store.restore.bind(store),
    delete: store.delete.bind(store),
  };
}
