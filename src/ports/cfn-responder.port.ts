/** The body CloudFormation expects back for one request. */
export interface CfnResponse {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason?: string;
  readonly PhysicalResourceId: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly NoEcho: boolean;
  readonly Data: Readonly<Record<string, string>>;
}

export interface SendOptions {
  /** Epoch milliseconds after which no attempt may still be running (the Lambda is about to end). */
  readonly deadline?: number;
}

/** Delivers the response: PUT to the presigned ResponseURL, or captured locally (CLI, tests). */
export interface CfnResponderPort {
  send(responseUrl: string, response: CfnResponse, options?: SendOptions): Promise<void>;
}
