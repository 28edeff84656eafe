import { describe, expect, it } from '@jest/globals';
import type { SecretAddress } from '../../src/domain/secret-address.js';
import type { SecretContent, SecretStorePort } from '../../src/ports/secret-store.port.js';
import { SecretAlreadyExistsError, SecretNotFoundError, SecretPendingDeletionError } from '../../src/ports/secret-store-errors.js';

/** What a contract run needs from one adapter. */
export interface SecretStoreHarness {
  readonly store: SecretStorePort;
  /** An address no other test uses; `name` is a short label, made unique by the harness. */
  address(label: string): SecretAddress;
  /** Reads the stored plaintext through the backend itself, not through the adapter under test. */
  readValue(address: SecretAddress): Promise<string | undefined>;
  /** Deletes with a recovery window keep the secret restorable (Secrets Manager semantics). */
  readonly recoverable: boolean;
  /** Versions are numbered 1, 2, 3 (SSM) rather than opaque ids (Secrets Manager). */
  readonly numberedVersions: boolean;
}

const OWNER_TAGS = { 'credential-lifecycle:stack-id': 'arn:aws:cloudformation:eu-central-1:123456789012:stack/s/1', 'credential-lifecycle:logical-id': 'Db' };

function content(value: string, extraTags: Record<string, string> = {}): SecretContent {
  return { value, description: 'contract test', tags: { ...OWNER_TAGS, ...extraTags } };
}

/** One behaviour for every SecretStorePort adapter: in-memory, SSM and Secrets Manager. */
export function describeSecretStoreContract(adapterName: string, makeHarness: () => SecretStoreHarness): void {
  describe(`SecretStorePort contract: ${adapterName}`, () => {
    const harness = makeHarness();
    const { store } = harness;

    it('describes a missing secret as undefined', async () => {
      await expect(store.describe(harness.address('missing'))).resolves.toBeUndefined();
    });

    it('creates a secret with its value, tags and a version', async () => {
      const address = harness.address('create');
      const stored = await store.create(address, content('s3cr3t-create', { team: 'payments' }), { idempotencyKey: idKey('c1') });

      expect(stored.arn).toContain(address.name.replace(/^\//, ''));
      expect(stored.arn).toMatch(new RegExp(`^arn:aws:(ssm|secretsmanager):${address.region}:${address.accountId}:`));
      if (harness.numberedVersions) expect(stored.version).toBe('1');
      else expect(stored.version).toMatch(/^[0-9a-f-]{32,64}$/);
      const state = await store.describe(address);
      expect(state).toEqual({ arn: stored.arn, version: stored.version, tags: { ...OWNER_TAGS, team: 'payments' }, scheduledForDeletion: false });
      await expect(harness.readValue(address)).resolves.toBe('s3cr3t-create');
    });

    it('refuses to create over an existing secret, leaving it untouched', async () => {
      const address = harness.address('exists');
      await store.create(address, content('first'), { idempotencyKey: idKey('e1') });

      await expect(store.create(address, content('second'), { idempotencyKey: idKey('e2') })).rejects.toBeInstanceOf(SecretAlreadyExistsError);
      await expect(harness.readValue(address)).resolves.toBe('first');
    });

    it('overwrites value and tags, removing only the tags it is told to', async () => {
      const address = harness.address('overwrite');
      const created = await store.create(address, content('v1', { keep: 'k', drop: 'd', change: 'old' }), { idempotencyKey: idKey('o1') });

      const stored = await store.overwrite(address, content('v2', { change: 'new', added: 'a' }), { idempotencyKey: idKey('o2'), removeTagKeys: ['drop'] });

      expect(stored.arn).toBe(created.arn);
      expect(stored.version).not.toBe(created.version);
      if (harness.numberedVersions) expect(stored.version).toBe('2');
      await expect(harness.readValue(address)).resolves.toBe('v2');
      const state = await store.describe(address);
      expect(state?.tags).toEqual({ ...OWNER_TAGS, keep: 'k', change: 'new', added: 'a' });
      expect(state?.version).toBe(stored.version);
    });

    it('accepts a repeated overwrite with the same idempotency key', async () => {
      const address = harness.address('repeat');
      await store.create(address, content('v1'), { idempotencyKey: idKey('r1') });

      const repeatedKey = idKey('r2');
      const first = await store.overwrite(address, content('v2'), { idempotencyKey: repeatedKey, removeTagKeys: [] });
      const second = await store.overwrite(address, content('v2'), { idempotencyKey: repeatedKey, removeTagKeys: [] });

      if (!harness.numberedVersions) expect(second.version).toBe(first.version);
      await expect(harness.readValue(address)).resolves.toBe('v2');
    });

    it('fails to overwrite a missing secret with SecretNotFoundError', async () => {
      await expect(store.overwrite(harness.address('nothing'), content('v'), { idempotencyKey: idKey('n1'), removeTagKeys: [] })).rejects.toBeInstanceOf(
        SecretNotFoundError,
      );
    });

    it('deletes a secret, and reports a missing one as absent', async () => {
      const address = harness.address('delete');
      await store.create(address, content('doomed'), { idempotencyKey: idKey('d1') });

      await expect(store.delete(address, { recoveryWindowInDays: 0 })).resolves.toBe('deleted');
      await expect(store.describe(address)).resolves.toBeUndefined();
      await expect(store.delete(address, { recoveryWindowInDays: 0 })).resolves.toBe('absent');
      await expect(store.delete(harness.address('never-existed'), { recoveryWindowInDays: 7 })).resolves.toBe('absent');
    });

    it('lets a name be created again after a delete without recovery window', async () => {
      const address = harness.address('recreate');
      await store.create(address, content('one'), { idempotencyKey: idKey('rc1') });
      await store.delete(address, { recoveryWindowInDays: 0 });

      await store.create(address, content('two'), { idempotencyKey: idKey('rc2') });

      await expect(harness.readValue(address)).resolves.toBe('two');
    });

    if (harness.recoverable) {
      it('keeps a secret deleted with a recovery window restorable, blocking its name until restored', async () => {
        const address = harness.address('recoverable');
        await store.create(address, content('keep me'), { idempotencyKey: idKey('rw1') });

        await expect(store.delete(address, { recoveryWindowInDays: 7 })).resolves.toBe('deleted');
        expect((await store.describe(address))?.scheduledForDeletion).toBe(true);
        await expect(store.create(address, content('other'), { idempotencyKey: idKey('rw2') })).rejects.toBeInstanceOf(SecretPendingDeletionError);

        await store.restore(address);
        expect((await store.describe(address))?.scheduledForDeletion).toBe(false);
        await store.overwrite(address, content('restored'), { idempotencyKey: idKey('rw3'), removeTagKeys: [] });
        await expect(harness.readValue(address)).resolves.toBe('restored');
      });
    } else {
      it('deletes at once whatever recovery window is asked for', async () => {
        const address = harness.address('immediate');
        await store.create(address, content('gone'), { idempotencyKey: idKey('im1') });

        await expect(store.delete(address, { recoveryWindowInDays: 7 })).resolves.toBe('deleted');
        await expect(store.describe(address)).resolves.toBeUndefined();
      });
    }
  });
}

/** Idempotency keys look like CloudFormation RequestIds (UUIDs), unique per test run. */
function idKey(label: string): string {
  const random = Math.random().toString(16).slice(2, 10).padEnd(8, '0');
  return `${random}-0000-4000-8000-${label.padStart(12, '0').slice(-12)}`;
}
