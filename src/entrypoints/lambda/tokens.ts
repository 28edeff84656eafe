import type { ServiceIdentifier } from 'inversify';
import type { CredentialLifecycle } from '../../domain/credential-lifecycle.js';
import type { SpecPolicy } from '../../domain/credential-spec.js';
import type { CfnResponderPort } from '../../ports/cfn-responder.port.js';
import type { SecretStoreRegistryPort } from '../../ports/secret-store.port.js';
import type { CustomResourceHandler } from './custom-resource-handler.js';
import type { LambdaConfig } from './lambda-config.js';
import type { LogSink } from './request-log.js';

/** The composition root's service identifiers; nothing outside src/entrypoints sees them. */
export const TOKENS = {
  config: Symbol('LambdaConfig') as ServiceIdentifier<LambdaConfig>,
  specPolicy: Symbol('SpecPolicy') as ServiceIdentifier<SpecPolicy>,
  stores: Symbol('SecretStoreRegistryPort') as ServiceIdentifier<SecretStoreRegistryPort>,
  responder: Symbol('CfnResponderPort') as ServiceIdentifier<CfnResponderPort>,
  logSink: Symbol('LogSink') as ServiceIdentifier<LogSink>,
  lifecycle: Symbol('CredentialLifecycle') as ServiceIdentifier<CredentialLifecycle>,
  handler: Symbol('CustomResourceHandler') as ServiceIdentifier<CustomResourceHandler>,
} as const;
