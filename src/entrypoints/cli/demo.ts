import { LocalInvoker } from './invoke-locally.js';

/**
 * `npm start`: the seed's SSMCredential resource through Create → Update → key change (with
 * CloudFormation's cleanup Delete) → Delete, on the in-memory backend. Prints what CloudFormation
 * would receive at each step; the secret values never appear.
 */
const stackId = 'arn:aws:cloudformation:eu-central-1:123456789012:stack/CustomResourcesGolang/4f1a6b30-d1a2-11ed-8c5e-0a1b2c3d4e5f';
const base = {
  ResourceType: 'AWS::CloudFormation::CustomResource',
  LogicalResourceId: 'SSMCredential21D358858',
  StackId: stackId,
};
const serviceToken = 'arn:aws:lambda:eu-central-1:123456789012:function:CustomResourcesGolang-Function';
const invoker = new LocalInvoker({ AWS_REGION: 'eu-central-1', CREDENTIAL_BACKEND: 'memory' }, () => undefined);

async function step(title: string, event: Record<string, unknown>): Promise<string> {
  const response = await invoker.invoke({ ...base, RequestId: crypto.randomUUID(), ...event });
  process.stdout.write(`\n== ${title}\n${JSON.stringify(response, null, 2)}\n`);
  if (response.Status !== 'SUCCESS') throw new Error(`${title} failed: ${response.Reason}`);
  return response.PhysicalResourceId;
}

const created = await step('Create /test/testing12345', {
  RequestType: 'Create',
  ResourceProperties: { ServiceToken: serviceToken, key: '/test/testing12345', value: 'some-secret-value' },
});
await step('Update the value in place (same PhysicalResourceId)', {
  RequestType: 'Update',
  PhysicalResourceId: created,
  ResourceProperties: { ServiceToken: serviceToken, key: '/test/testing12345', value: 'rotated-secret-value' },
  OldResourceProperties: { ServiceToken: serviceToken, key: '/test/testing12345', value: 'some-secret-value' },
});
const replaced = await step('Update the key: replacement (new PhysicalResourceId)', {
  RequestType: 'Update',
  PhysicalResourceId: created,
  ResourceProperties: { ServiceToken: serviceToken, key: '/test/testing67890', value: 'rotated-secret-value' },
  OldResourceProperties: { ServiceToken: serviceToken, key: '/test/testing12345', value: 'rotated-secret-value' },
});
await step("CloudFormation's cleanup Delete of the old id", {
  RequestType: 'Delete',
  PhysicalResourceId: created,
  ResourceProperties: { ServiceToken: serviceToken, key: '/test/testing12345', value: 'rotated-secret-value' },
});
await step('Delete the stack', {
  RequestType: 'Delete',
  PhysicalResourceId: replaced,
  ResourceProperties: { ServiceToken: serviceToken, key: '/test/testing67890', value: 'rotated-secret-value' },
});
