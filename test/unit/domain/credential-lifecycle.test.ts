import { describe, expect, it } from '@jest/globals';
import { InMemorySecretStore } from '../../../src/adapters/in-memory-secret-store.js';
import { SecretAccessDeniedError } from '../../../src/ports/secret-store-errors.js';
import { create, lifecycleWorld, LOGICAL_ID, OTHER_STACK_ID, REGION, remove, STACK_ID, update } from '../../support/lifecycle-fixtures.js';

const ARN = 'arn:aws:ssm:eu-central-1:123456789012:parameter/test/testing12345';
const SEED = { key: '/test/testing12345', value: 'some-secret-value' };
const OWNER_TAGS = { 'credential-lifecycle:stack-id': STACK_ID, 'credential-lifecycle:logical-id': LOGICAL_ID };

describe('Class: CredentialLifecycle', () => {
  describe('Method: handle (Create)', () => {
    it('puts the secret with ownership tags and answers with its ARN and attributes', async () => {
      const { lifecycle, ssm } = lifecycleWorld();

      const outcome = await lifecycle.handle(create({ ServiceToken: 'arn:aws:lambda:x', ...SEED, tags: { team: 'payments' } }));

      expect(outcome).toEqual({
        status: 'SUCCESS',
        physicalResourceId: ARN,
        data: { Arn: ARN, Name: '/test/testing12345', Version: '1', Backend: 'ssm', Response: ARN },
        noEcho: false,
      });
      expect(ssm.peek('/test/testing12345', REGION)).toMatchObject({ value: 'some-secret-value', tags: { ...OWNER_TAGS, team: 'payments' } });
    });

    it('treats a second delivery of the same Create as a duplicate: same id, still one secret', async () => {
      const { lifecycle, ssm } = lifecycleWorld();
      const request = create(SEED);

      const first = await lifecycle.handle(request);
      const second = await lifecycle.handle(request);

      expect(second.status).toBe('SUCCESS');
      expect(second.physicalResourceId).toBe(first.physicalResourceId);
      expect(ssm.names()).toEqual(['/test/testing12345']);
    });

    it('refuses a name owned by another resource, naming the owner and adoptExisting, and touches nothing', async () => {
      const { lifecycle, ssm } = lifecycleWorld();
      await lifecycle.handle(create({ key: '/shared/db', value: 'theirs' }, { stackId: OTHER_STACK_ID, logicalResourceId: 'TheirDb' }));

      const outcome = await lifecycle.handle(create({ key: '/shared/db', value: 'mine' }));

      expect(outcome.status).toBe('FAILED');
      expect(outcome.reason).toContain("resource 'TheirDb' of stack " + OTHER_STACK_ID);
      expect(outcome.reason).toContain("'adoptExisting'");
      expect(outcome.reason).toContain('SECRET.OWNED_ELSEWHERE');
      expect(outcome.physicalResourceId).toMatch(/^credential-lifecycle:create-failed:/);
      expect(ssm.peek('/shared/db', REGION)?.value).toBe('theirs');
    });

    it('refuses an existing secret created outside any stack unless adoptExisting is set', async () => {
      const { lifecycle, ssm } = lifecycleWorld();
      await ssm.create({ backend: 'ssm', partition: 'aws', accountId: '123456789012', region: REGION, name: '/manual' }, { value: 'by hand', tags: {} }, { idempotencyKey: 'k' });

      const refused = await lifecycle.handle(create({ key: '/manual', value: 'new' }));
      const adopted = await lifecycle.handle(create({ key: '/manual', value: 'new', adoptExisting: 'true' }));

      expect(refused.status).toBe('FAILED');
      expect(refused.reason).toContain('carries no credential-lifecycle ownership tags');
      expect(adopted.status).toBe('SUCCESS');
      expect(ssm.peek('/manual', REGION)).toMatchObject({ value: 'new', tags: OWNER_TAGS });
    });

    it('takes over a secret of another resource with adoptExisting, which then no longer owns it', async () => {
      const { lifecycle, ssm } = lifecycleWorld();
      const theirs = { stackId: OTHER_STACK_ID, logicalResourceId: 'TheirDb' };
      const old = await lifecycle.handle(create({ key: '/shared/db', value: 'theirs' }, theirs));

      const adopted = await lifecycle.handle(create({ key: '/shared/db', value: 'mine', adoptExisting: 'true' }));
      const theirDelete = await lifecycle.handle(remove(old.physicalResourceId, { key: '/shared/db' }, theirs));

      expect(adopted.status).toBe('SUCCESS');
      expect(theirDelete.status).toBe('SUCCESS');
      expect(theirDelete.reason).toContain(`Retained '/shared/db'`);
      expect(ssm.peek('/shared/db', REGION)?.value).toBe('mine');
    });

    it('answers FAILED with the store error code when the store fails, and a marker id', async () => {
      const { lifecycle, ssm } = lifecycleWorld();
      ssm.injectFault('create', new SecretAccessDeniedError("SSM PutParameter on '/test/testing12345' failed: AccessDeniedException: not allowed"));

      const outcome = await lifecycle.handle(create(SEED));

      expect(outcome.status).toBe('FAILED');
      expect(outcome.reason).toContain('STORE.ACCESS_DENIED');
      expect(outcome.physicalResourceId).toMatch(/^credential-lifecycle:create-failed:/);
    });

    it('answers FAILED without detail for an unexpected error, keeping it for the log', async () => {
      const { lifecycle, ssm } = lifecycleWorld();
      const boom = new TypeError('boom');
      ssm.injectFault('describe', boom);

      const outcome = await lifecycle.handle(create(SEED));

      expect(outcome).toMatchObject({ status: 'FAILED', error: boom });
      expect(outcome.reason).toBe('Unexpected TypeError in credential-lifecycle; see the Lambda log.');
    });
  });

  describe('Method: handle (validation before any call)', () => {
    it.each([
      [{ ...SEED, colour: 'blue' }, "Property 'colour' is not a known property"],
      [{ value: 'x' }, "Property 'key' is required"],
      [{ key: '/a' }, "Property 'value' is required"],
      [{ key: 'a/b', value: 'x' }, "Property 'key' must start with '/'"],
      [{ key: '/aws/reserved', value: 'x' }, "must not start with 'aws' or 'ssm'"],
      [{ key: '/a b', value: 'x' }, 'may contain only letters'],
      [{ key: `/${Array.from({ length: 16 }, () => 'l').join('/')}`, value: 'x' }, 'deeper than 15 levels'],
      [{ key: `/${'n'.repeat(1000)}`, value: 'x' }, 'is too long'],
      [{ ...SEED, value: 'v'.repeat(4097) }, "Property 'value' is 4097 bytes; an SSM Standard parameter holds at most 4096 bytes"],
      [{ ...SEED, value: 'é'.repeat(2049) }, 'is 4098 bytes'],
      [{ ...SEED, value: '{{resolve:ssm:/x}}' }, "must not contain '{{…}}'"],
      [{ ...SEED, value: '' }, "Property 'value' must not be empty"],
      [{ ...SEED, backend: 'vault' }, "Property 'backend' must be one of 'ssm', 'secretsmanager'"],
      [{ ...SEED, tier: 'Huge' }, "Property 'tier' must be one of"],
      [{ ...SEED, adoptExisting: 'yes' }, "Property 'adoptExisting' must be 'true' or 'false'"],
      [{ ...SEED, recoveryWindowInDays: '7' }, "Property 'recoveryWindowInDays' applies only to backend 'secretsmanager'"],
      [{ ...SEED, backend: 'secretsmanager', recoveryWindowInDays: '3' }, 'must be 0 (delete at once) or between 7 and 30 days'],
      [{ ...SEED, tags: { 'credential-lifecycle:stack-id': 'forged' } }, 'uses a reserved prefix'],
      [{ ...SEED, tags: 'team=payments' }, "Property 'tags' must be a map of strings"],
      [{ ...SEED, encryptedValue: 'AQICAH…' }, "Property 'encryptedValue' is not supported by this version"],
      [{ key: 'db-password-Ab12Cd', value: 'x', backend: 'secretsmanager' }, "must not end with '-' followed by six characters"],
      [{ key: 'db password', value: 'x', backend: 'secretsmanager' }, 'Secrets Manager secret name rules'],
      [{ key: '/db', value: 'v'.repeat(65537), backend: 'secretsmanager' }, 'Secrets Manager stores at most 65536 bytes'],
    ])('rejects %j with a reason naming the property and the rule', async (properties, expected) => {
      const { lifecycle, ssm, secretsmanager } = lifecycleWorld();
      ssm.injectFault('describe', new Error('the store must not be called'));
      secretsmanager.injectFault('describe', new Error('the store must not be called'));

      const outcome = await lifecycle.handle(create(properties));

      expect(outcome.status).toBe('FAILED');
      expect(outcome.reason).toContain(expected);
      expect(outcome.reason).toContain('[PROPERTY.INVALID]');
      expect(ssm.names()).toEqual([]);
    });

    it('never puts the value into a reason, whatever the rule broken', async () => {
      const { lifecycle } = lifecycleWorld();
      const secret = 'hunter2-{{x}}-hunter2';

      const outcomes = await Promise.all([
        lifecycle.handle(create({ key: '/k', value: secret })),
        lifecycle.handle(create({ key: '/k', value: secret.repeat(400) })),
        lifecycle.handle(create({ key: '/k', value: secret, backend: secret })),
        lifecycle.handle(create({ key: '/k', value: 42 })),
      ]);

      for (const outcome of outcomes) {
        expect(outcome.status).toBe('FAILED');
        expect(outcome.reason).not.toContain('hunter2');
      }
    });

    it('accepts booleans and numbers as CloudFormation sends them (strings) and as JSON', async () => {
      const { lifecycle } = lifecycleWorld();

      const asStrings = await lifecycle.handle(create({ key: 'db-a', value: 'x', backend: 'secretsmanager', recoveryWindowInDays: '30', adoptExisting: 'false' }));
      const asJson = await lifecycle.handle(create({ key: 'db-b', value: 'x', backend: 'secretsmanager', recoveryWindowInDays: 0, adoptExisting: false }));

      expect([asStrings.status, asJson.status]).toEqual(['SUCCESS', 'SUCCESS']);
    });

    it('enforces ALLOWED_NAME_PREFIXES', async () => {
      const { lifecycle } = lifecycleWorld({ allowedNamePrefixes: ['/app/', '/shared/'] });

      const outside = await lifecycle.handle(create({ key: '/other/db', value: 'x' }));
      const inside = await lifecycle.handle(create({ key: '/app/db', value: 'x' }));

      expect(outside.reason).toContain("Property 'key' must start with one of the prefixes this Lambda allows (ALLOWED_NAME_PREFIXES): /app/, /shared/");
      expect(inside.status).toBe('SUCCESS');
    });

    it('returns the value as attribute Value only with returnValue, and then always sets NoEcho', async () => {
      const { lifecycle } = lifecycleWorld();

      const outcome = await lifecycle.handle(create({ ...SEED, returnValue: 'true' }));

      expect(outcome).toMatchObject({ status: 'SUCCESS', noEcho: true, data: { Value: 'some-secret-value' } });
    });
  });

  describe('Method: handle (Update)', () => {
    it('overwrites in place when backend, region and name are unchanged, keeping the id', async () => {
      const { lifecycle, ssm } = lifecycleWorld();
      const created = await lifecycle.handle(create(SEED));

      const outcome = await lifecycle.handle(update(created.physicalResourceId, { ...SEED, value: 'rotated', description: 'db' }, SEED));

      expect(outcome).toMatchObject({ status: 'SUCCESS', physicalResourceId: ARN, data: { Version: '2' } });
      expect(ssm.peek(SEED.key, REGION)).toMatchObject({ value: 'rotated', description: 'db' });
    });

    it('keeps the seed’s bare parameter name as id, and claims the untagged parameter it names', async () => {
      const { lifecycle, ssm } = lifecycleWorld();
      // What the Go proof of concept left behind: an untagged parameter, id = its bare name.
      await ssm.create({ backend: 'ssm', partition: 'aws', accountId: '123456789012', region: REGION, name: SEED.key }, { value: SEED.value, tags: {} }, { idempotencyKey: 'k' });

      const updated = await lifecycle.handle(update(SEED.key, { ...SEED, value: 'rotated' }, SEED));
      const deleted = await lifecycle.handle(remove(SEED.key, { ...SEED, value: 'rotated' }));

      expect(updated).toMatchObject({ status: 'SUCCESS', physicalResourceId: SEED.key, data: { Arn: ARN } });
      expect(deleted.status).toBe('SUCCESS');
      expect(ssm.names()).toEqual([]);
    });

    it('replaces on a key change: creates the new secret, returns a new id, leaves the old one for the cleanup Delete', async () => {
      const { lifecycle, ssm } = lifecycleWorld();
      const created = await lifecycle.handle(create(SEED));

      const replaced = await lifecycle.handle(update(created.physicalResourceId, { key: '/test/renamed', value: 'v2' }, SEED));

      expect(replaced.status).toBe('SUCCESS');
      expect(replaced.physicalResourceId).toBe('arn:aws:ssm:eu-central-1:123456789012:parameter/test/renamed');
      expect(ssm.names().sort()).toEqual(['/test/renamed', '/test/testing12345']);
    });

    it('replaces on a backend change, writing into the other store', async () => {
      const { lifecycle, ssm, secretsmanager } = lifecycleWorld();
      const created = await lifecycle.handle(create(SEED));

      const replaced = await lifecycle.handle(update(created.physicalResourceId, { ...SEED, backend: 'secretsmanager' }, SEED));

      expect(replaced.physicalResourceId).toMatch(/^arn:aws:secretsmanager:eu-central-1:123456789012:secret:\/test\/testing12345-[A-Za-z0-9]{6}$/);
      expect(replaced.data).toMatchObject({ Backend: 'secretsmanager' });
      expect(ssm.names()).toEqual([SEED.key]);
      expect(secretsmanager.names()).toEqual([SEED.key]);
    });

    it('fails a replacement onto a name owned by someone else, keeping the old id', async () => {
      const { lifecycle } = lifecycleWorld();
      await lifecycle.handle(create({ key: '/theirs', value: 'x' }, { stackId: OTHER_STACK_ID }));
      const created = await lifecycle.handle(create(SEED));

      const outcome = await lifecycle.handle(update(created.physicalResourceId, { key: '/theirs', value: 'y' }, SEED));

      expect(outcome).toMatchObject({ status: 'FAILED', physicalResourceId: ARN });
      expect(outcome.reason).toContain("'adoptExisting'");
    });

    it('rolls back: the swapped Update returns the old id and value, and the cleanup Delete removes only the new secret', async () => {
      const { lifecycle, ssm } = lifecycleWorld();
      const created = await lifecycle.handle(create(SEED));
      const newProps = { key: '/test/renamed', value: 'new', tags: { stage: 'next' } };
      const replaced = await lifecycle.handle(update(created.physicalResourceId, newProps, SEED));

      const rolledBack = await lifecycle.handle(update(replaced.physicalResourceId, SEED, newProps));
      const cleanup = await lifecycle.handle(remove(replaced.physicalResourceId, newProps));

      expect(rolledBack).toMatchObject({ status: 'SUCCESS', physicalResourceId: created.physicalResourceId });
      expect(cleanup.status).toBe('SUCCESS');
      expect(ssm.names()).toEqual([SEED.key]);
      expect(ssm.peek(SEED.key, REGION)).toMatchObject({ value: 'some-secret-value', tags: OWNER_TAGS });
    });

    it('removes the tags the old properties set and the new ones dropped, keeping tags set out of band', async () => {
      const { lifecycle, ssm } = lifecycleWorld();
      const old = { ...SEED, tags: { team: 'a', stage: 'dev' } };
      const created = await lifecycle.handle(create(old));
      await ssm.overwrite({ backend: 'ssm', partition: 'aws', accountId: '123456789012', region: REGION, name: SEED.key }, { value: SEED.value, tags: { audit: 'yes' } }, { idempotencyKey: 'k', removeTagKeys: [] });

      await lifecycle.handle(update(created.physicalResourceId, { ...SEED, tags: { team: 'b' } }, old));

      expect(ssm.peek(SEED.key, REGION)?.tags).toEqual({ ...OWNER_TAGS, team: 'b', audit: 'yes' });
    });

    it('re-creates a secret deleted out of band during an in-place Update', async () => {
      const { lifecycle, ssm } = lifecycleWorld();
      const created = await lifecycle.handle(create(SEED));
      await ssm.delete({ backend: 'ssm', partition: 'aws', accountId: '123456789012', region: REGION, name: SEED.key }, { recoveryWindowInDays: 0 });

      const outcome = await lifecycle.handle(update(created.physicalResourceId, { ...SEED, value: 'back' }, SEED));

      expect(outcome).toMatchObject({ status: 'SUCCESS', physicalResourceId: created.physicalResourceId });
      expect(ssm.peek(SEED.key, REGION)?.value).toBe('back');
    });

    it('rejects invalid new properties without touching the secret, keeping the id', async () => {
      const { lifecycle, ssm } = lifecycleWorld();
      const created = await lifecycle.handle(create(SEED));

      const outcome = await lifecycle.handle(update(created.physicalResourceId, { ...SEED, tier: 'Cheap' }, SEED));

      expect(outcome).toMatchObject({ status: 'FAILED', physicalResourceId: ARN });
      expect(ssm.peek(SEED.key, REGION)?.version).toBe('1');
    });
  });

  describe('Method: handle (Delete)', () => {
    it('deletes a secret this resource owns', async () => {
      const { lifecycle, ssm } = lifecycleWorld();
      const created = await lifecycle.handle(create(SEED));

      const outcome = await lifecycle.handle(remove(created.physicalResourceId, SEED));

      expect(outcome).toEqual({ status: 'SUCCESS', physicalResourceId: ARN, data: {}, noEcho: false });
      expect(ssm.names()).toEqual([]);
    });

    it('succeeds when the secret is already gone', async () => {
      const { lifecycle } = lifecycleWorld();

      const outcome = await lifecycle.handle(remove(ARN, SEED));

      expect(outcome.status).toBe('SUCCESS');
      expect(outcome.reason).toContain('no longer exists');
    });

    it('succeeds without touching anything for the id of a failed Create', async () => {
      const { lifecycle, ssm } = lifecycleWorld();
      await lifecycle.handle(create({ key: '/taken', value: 'theirs' }, { stackId: OTHER_STACK_ID }));
      const failed = await lifecycle.handle(create({ key: '/taken', value: 'mine' }));
      ssm.injectFault('describe', new Error('must not be called'));

      const outcome = await lifecycle.handle(remove(failed.physicalResourceId, { key: '/taken', value: 'mine' }));

      expect(failed.status).toBe('FAILED');
      expect(outcome.status).toBe('SUCCESS');
      expect(ssm.peek('/taken', REGION)?.value).toBe('theirs');
    });

    it('succeeds for a failed Create whose properties had no key at all (the seed’s DELETE_FAILED)', async () => {
      const { lifecycle } = lifecycleWorld();
      const failed = await lifecycle.handle(create({ value: 'x' }));

      const outcome = await lifecycle.handle(remove(failed.physicalResourceId, { value: 'x' }));

      expect(outcome.status).toBe('SUCCESS');
    });

    it('retains a secret owned by another resource, even when its id is named', async () => {
      const { lifecycle, ssm } = lifecycleWorld();
      const theirs = await lifecycle.handle(create(SEED, { logicalResourceId: 'Other' }));

      const outcome = await lifecycle.handle(remove(theirs.physicalResourceId, SEED));

      expect(outcome.status).toBe('SUCCESS');
      expect(outcome.reason).toContain("belongs to resource 'Other'");
      expect(ssm.names()).toEqual([SEED.key]);
    });

    it('never deletes the secret a newer id of the same resource points at', async () => {
      const { lifecycle, ssm } = lifecycleWorld();
      // The seed's bare id and our ARN name the same parameter; the Update keeps the bare id, so
      // the only cleanup that can follow is for an id that names another secret.
      const created = await lifecycle.handle(create(SEED));
      const renamed = await lifecycle.handle(update(created.physicalResourceId, { key: '/test/b', value: 'b' }, SEED));
      const back = await lifecycle.handle(update(renamed.physicalResourceId, SEED, { key: '/test/b', value: 'b' }));

      const cleanupOfRenamed = await lifecycle.handle(remove(renamed.physicalResourceId, { key: '/test/b', value: 'b' }));

      expect(back.physicalResourceId).toBe(created.physicalResourceId);
      expect(cleanupOfRenamed.status).toBe('SUCCESS');
      expect(ssm.names()).toEqual([SEED.key]);
    });

    it('never fails on properties it cannot read, so a stack can always be deleted', async () => {
      const { lifecycle, ssm } = lifecycleWorld();
      const created = await lifecycle.handle(create(SEED));

      const outcome = await lifecycle.handle(remove(created.physicalResourceId, { keyName: 42, value: { nested: true }, recoveryWindowInDays: 'soon' }));

      expect(outcome.status).toBe('SUCCESS');
      expect(ssm.names()).toEqual([]);
    });

    it('succeeds for an id it does not recognise, deleting nothing', async () => {
      const { lifecycle } = lifecycleWorld();

      const outcome = await lifecycle.handle(remove('AWSCDK::CustomResourceProviderFramework::CREATE_FAILED', {}));

      expect(outcome).toMatchObject({ status: 'SUCCESS' });
      expect(outcome.reason).toContain('does not name a secret');
    });

    it('works from the id alone, whatever the default backend is by then', async () => {
      const smWorld = lifecycleWorld({ defaultBackend: 'secretsmanager' });
      const created = await smWorld.lifecycle.handle(create({ key: 'app/db', value: 'x', recoveryWindowInDays: '0' }));

      const ssmDefault = new (smWorld.lifecycle.constructor as typeof import('../../../src/domain/credential-lifecycle.js').CredentialLifecycle)(
        { storeFor: (backend) => (backend === 'ssm' ? new InMemorySecretStore('ssm') : smWorld.secretsmanager) },
        { defaultBackend: 'ssm', allowedNamePrefixes: [] },
      );
      const outcome = await ssmDefault.handle(remove(created.physicalResourceId, { key: 'app/db', value: 'x', recoveryWindowInDays: '0' }));

      expect(outcome.status).toBe('SUCCESS');
      expect(smWorld.secretsmanager.names()).toEqual([]);
    });
  });

  describe('Method: handle (Secrets Manager recovery window)', () => {
    it('deletes with the default 7-day recovery window, and restores the secret when the resource is created again', async () => {
      const { lifecycle, secretsmanager } = lifecycleWorld({ defaultBackend: 'secretsmanager' });
      const created = await lifecycle.handle(create({ key: 'app/db', value: 'one' }));
      await lifecycle.handle(remove(created.physicalResourceId, { key: 'app/db' }));
      expect(secretsmanager.peek('app/db', REGION)?.scheduledForDeletion).toBe(true);

      const again = await lifecycle.handle(create({ key: 'app/db', value: 'two' }));

      expect(again).toMatchObject({ status: 'SUCCESS', physicalResourceId: created.physicalResourceId });
      expect(secretsmanager.peek('app/db', REGION)).toMatchObject({ value: 'two', scheduledForDeletion: false });
    });

    it('gives a clear reason when the name is pending deletion and belongs to someone else', async () => {
      const { lifecycle } = lifecycleWorld({ defaultBackend: 'secretsmanager' });
      const theirs = { stackId: OTHER_STACK_ID };
      const created = await lifecycle.handle(create({ key: 'app/db', value: 'one' }, theirs));
      await lifecycle.handle(remove(created.physicalResourceId, { key: 'app/db' }, theirs));

      const outcome = await lifecycle.handle(create({ key: 'app/db', value: 'two' }));

      expect(outcome.status).toBe('FAILED');
      expect(outcome.reason).toContain('scheduled for deletion');
      expect(outcome.reason).toContain('SECRET.SCHEDULED_FOR_DELETION');
    });

    it('deletes at once with recoveryWindowInDays 0', async () => {
      const { lifecycle, secretsmanager } = lifecycleWorld({ defaultBackend: 'secretsmanager' });
      const created = await lifecycle.handle(create({ key: 'app/db', value: 'one', recoveryWindowInDays: '0' }));

      await lifecycle.handle(remove(created.physicalResourceId, { key: 'app/db', recoveryWindowInDays: '0' }));

      expect(secretsmanager.names()).toEqual([]);
    });

    it('treats a secret already scheduled for deletion as gone on Delete', async () => {
      const { lifecycle, secretsmanager } = lifecycleWorld({ defaultBackend: 'secretsmanager' });
      const created = await lifecycle.handle(create({ key: 'app/db', value: 'one' }));
      await lifecycle.handle(remove(created.physicalResourceId, { key: 'app/db' }));

      const again = await lifecycle.handle(remove(created.physicalResourceId, { key: 'app/db' }));

      expect(again.status).toBe('SUCCESS');
      expect(secretsmanager.peek('app/db', REGION)?.scheduledForDeletion).toBe(true);
    });
  });
});
