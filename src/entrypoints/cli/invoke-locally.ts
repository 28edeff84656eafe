import { RecordingCfnResponder } from '../../adapters/recording-cfn-responder.js';
import type { CfnResponse } from '../../ports/cfn-responder.port.js';
import { createCustomResourceHandler } from '../lambda/composition-root.js';
import type { CustomResourceHandler } from '../lambda/custom-resource-handler.js';

/** A handler wired like the Lambda, whose responses are caught locally instead of PUT to S3. */
export class LocalInvoker {
  private readonly responder = new RecordingCfnResponder();
  private readonly handler: CustomResourceHandler;

  constructor(env: Readonly<Record<string, string | undefined>>, logSink: (line: string) => void) {
    // RESPONSE_MODE=return would bypass the catcher; locally we always show the PUT body.
    this.handler = createCustomResourceHandler({ ...env, RESPONSE_MODE: 'put' }, { responder: this.responder, logSink });
  }

  /** Runs one event and returns the body CloudFormation would have received. */
  async invoke(event: Record<string, unknown>): Promise<CfnResponse> {
    const before = this.responder.responses.length;
    // A local catcher needs a URL only to satisfy the event's shape; nothing is sent.
    await this.handler.handle({ ResponseURL: 'local://catcher', ...event }, { getRemainingTimeInMillis: () => 60_000 });
    const response = this.responder.responses[before]?.response;
    if (!response) throw new Error('The handler produced no response.');
    return response;
  }
}
