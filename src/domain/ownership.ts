/**
 * Ownership is recorded on the secret itself, as tags, so that any later request (or another
 * stack) can tell whose secret it is without a database.
 */
export const OWNERSHIP_TAG_PREFIX = 'credential-lifecycle:';
export const STACK_ID_TAG = `${OWNERSHIP_TAG_PREFIX}stack-id`;
export const LOGICAL_ID_TAG = `${OWNERSHIP_TAG_PREFIX}logical-id`;

/** The CloudFormation resource a secret belongs to. */
export interface Owner {
  readonly stackId: string;
  readonly logicalResourceId: string;
}

export type OwnershipVerdict =
  | { readonly kind: 'this-resource' }
  | { readonly kind: 'untagged' }
  | { readonly kind: 'other-resource'; readonly owner: Owner };

export function ownershipTags(owner: Owner): Record<string, string> {
  return { [STACK_ID_TAG]: owner.stackId, [LOGICAL_ID_TAG]: owner.logicalResourceId };
}

export function judgeOwnership(tags: Readonly<Record<string, string>>, requester: Owner): OwnershipVerdict {
  const stackId = tags[STACK_ID_TAG];
  const logicalResourceId = tags[LOGICAL_ID_TAG];
  if (stackId === undefined && logicalResourceId === undefined) return { kind: 'untagged' };
  if (stackId === requester.stackId && logicalResourceId === requester.logicalResourceId) return { kind: 'this-resource' };
  return { kind: 'other-resource', owner: { stackId: stackId ?? '(none)', logicalResourceId: logicalResourceId ?? '(none)' } };
}

export function describeOwner(verdict: OwnershipVerdict): string {
  switch (verdict.kind) {
    case 'this-resource':
      return 'this resource';
    case 'untagged':
      return 'nobody known: it carries no credential-lifecycle ownership tags (created outside this stack)';
    case 'other-resource':
      return `resource '${verdict.owner.logicalResourceId}' of stack ${verdict.owner.stackId}`;
  }
}
