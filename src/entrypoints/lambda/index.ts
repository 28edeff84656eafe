import type { Context } from 'aws-lambda';
import { createCustomResourceHandler } from './composition-root.js';
import type { CustomResourceHandler, ProviderResult } from './custom-resource-handler.js';

// Built once per process: SDK clients and the in-memory store outlive a single invocation.
let instance: CustomResourceHandler | undefined;

/** The Lambda entry point (`index.handler`). */
export async function handler(event: unknown, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<ProviderResult | undefined> {
  instance ??= createCustomResourceHandler(process.env);
  return instance.handle(event, context);
}
