/** What the Lambda runtime tells us about the time left. */
export interface InvocationClock {
  getRemainingTimeInMillis(): number;
}

/** Leaves time to deliver a FAILED response (with retries) before the runtime kills us. */
export const DEFAULT_SAFETY_MARGIN_MS = 5_000;

export class InvocationTimeoutError extends Error {
  override readonly name = 'InvocationTimeoutError';
}

/**
 * Rejects shortly before the Lambda's deadline, so the request is answered FAILED instead of
 * leaving the stack waiting for the custom resource timeout (one hour by default).
 */
export function raceWithDeadline<T>(work: Promise<T>, clock: InvocationClock | undefined, marginMs = DEFAULT_SAFETY_MARGIN_MS): Promise<T> {
  const remaining = clock?.getRemainingTimeInMillis();
  if (remaining === undefined || !Number.isFinite(remaining)) return work;
  const budget = Math.max(0, remaining - marginMs);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new InvocationTimeoutError(`Timed out after ${Math.round(budget / 1000)} s, ${Math.round(marginMs / 1000)} s before the Lambda's own timeout. Raise the Lambda timeout, or check the store's reachability (VPC endpoints, throttling).`)),
      budget,
    );
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
