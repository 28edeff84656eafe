import type { CfnResponderPort, CfnResponse } from '../ports/cfn-responder.port.js';
import { serializeCfnResponse } from './cfn-response-body.js';

/**
 * Keeps responses in memory instead of sending them: the CLI's local response catcher and a fake
 * for tests. It stores exactly the body CloudFormation would receive.
 */
export class RecordingCfnResponder implements CfnResponderPort {
  readonly responses: Array<{ responseUrl: string; response: CfnResponse }> = [];

  async send(responseUrl: string, response: CfnResponse): Promise<void> {
    this.responses.push({ responseUrl, response: JSON.parse(serializeCfnResponse(response)) as CfnResponse });
  }

  last(): CfnResponse | undefined {
    return this.responses.at(-1)?.response;
  }
}
