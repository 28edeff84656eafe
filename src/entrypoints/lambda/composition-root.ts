import 'reflect-metadata';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { Container } from 'inversify';
import { HttpsCfnResponder } from '../../adapters/https-cfn-responder.js';
import { InMemorySecretStore } from '../../adapters/in-memory-secret-store.js';
import { LazySecretStoreRegistry, type SecretStoreFactories } from '../../adapters/lazy-secret-store-registry.js';
import { SecretsManagerSecretStore } from '../../adapters/secrets-manager-secret-store.js';
import { SsmSecretStore } from '../../adapters/ssm-secret-store.js';
import { CredentialLifecycle } from '../../domain/credential-lifecycle.js';
import type { SpecPolicy } from '../../domain/credential-spec.js';
import type { CfnResponderPort } from '../../ports/cfn-responder.port.js';
import { CustomResourceHandler } from './custom-resource-handler.js';
import { readLambdaConfig, type LambdaConfig } from './lambda-config.js';
import type { LogSink } from './request-log.js';
import { TOKENS } from './tokens.js';

/** Replacements for the CLI and tests; production passes none. */
export interface CompositionOverrides {
  readonly responder?: CfnResponderPort;
  readonly logSink?: LogSink;
  readonly storeFactories?: SecretStoreFactories;
}

/** SDK calls give up well before the Lambda's deadline; the SDK's own retries stay (AWS_MAX_ATTEMPTS). */
const AWS_CLIENT_TIMEOUTS = { requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000 } } as const;

/**
 * The one place that knows every implementation. It binds only the stores this configuration can
 * reach (AWS stores build their SDK clients on first use; `memory` emulates both in process) and
 * is the only caller of `container.get`.
 */
export function createCustomResourceHandler(
  env: Readonly<Record<string, string | undefined>>,
  overrides: CompositionOverrides = {},
): CustomResourceHandler {
  const container = new Container({ defaultScope: 'Singleton' });
  container.bind(TOKENS.config).toConstantValue(readLambdaConfig(env));
  container.bind(TOKENS.logSink).toConstantValue(overrides.logSink ?? ((line: string) => console.log(line)));
  container
    .bind(TOKENS.specPolicy)
    .toResolvedValue((config: LambdaConfig): SpecPolicy => ({ defaultBackend: config.backend === 'memory' ? 'ssm' : config.backend, allowedNamePrefixes: config.allowedNamePrefixes }), [TOKENS.config]);
  container
    .bind(TOKENS.stores)
    .toResolvedValue((config: LambdaConfig) => new LazySecretStoreRegistry(overrides.storeFactories ?? storeFactoriesFor(config)), [TOKENS.config]);
  if (overrides.responder) container.bind(TOKENS.responder).toConstantValue(overrides.responder);
  else container.bind(TOKENS.responder).toResolvedValue((config: LambdaConfig) => new HttpsCfnResponder({ allowedHosts: config.allowedResponseHosts }), [TOKENS.config]);
  container.bind(TOKENS.lifecycle).toResolvedValue((stores, policy) => new CredentialLifecycle(stores, policy), [TOKENS.stores, TOKENS.specPolicy]);
  container
    .bind(TOKENS.handler)
    .toResolvedValue((lifecycle, responder, config, sink) => new CustomResourceHandler(lifecycle, responder, config, sink), [
      TOKENS.lifecycle,
      TOKENS.responder,
      TOKENS.config,
      TOKENS.logSink,
    ]);
  return container.get(TOKENS.handler);
}

function storeFactoriesFor(config: LambdaConfig): SecretStoreFactories {
  if (config.backend === 'memory') {
    return { ssm: () => new InMemorySecretStore('ssm'), secretsmanager: () => new InMemorySecretStore('secretsmanager') };
  }
  // Both AWS stores stay reachable: a resource may pick its own `backend`, and a Delete must work
  // for an id written under another CREDENTIAL_BACKEND. Neither builds a client until used.
  return {
    ssm: () => new SsmSecretStore(perRegion((region) => new SSMClient({ region, ...AWS_CLIENT_TIMEOUTS }))),
    secretsmanager: () => new SecretsManagerSecretStore(perRegion((region) => new SecretsManagerClient({ region, ...AWS_CLIENT_TIMEOUTS }))),
  };
}

/** One client per region for the life of the process. */
function perRegion<T>(make: (region: string) => T): (region: string) => T {
  const clients = new Map<string, T>();
  return (region) => {
    let client = clients.get(region);
    if (!client) {
      client = make(region);
      clients.set(region, client);
    }
    return client;
  };
}
