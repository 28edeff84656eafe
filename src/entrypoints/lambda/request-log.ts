import type { SecretRedactor } from './secret-redactor.js';

export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

/** Where log lines go; console in Lambda (CloudWatch), a buffer in tests. */
export type LogSink = (line: string) => void;

/**
 * One JSON line per event, with only the fields we choose: never the event, the properties or
 * the ResponseURL's signature. Every string goes through the request's redactor anyway.
 */
export class RequestLog {
  constructor(
    private readonly sink: LogSink,
    private readonly redactor: SecretRedactor,
    private readonly context: LogFields,
  ) {}

  info(message: string, fields: LogFields = {}): void {
    this.write('INFO', message, fields);
  }

  error(message: string, error: unknown, fields: LogFields = {}): void {
    this.write('ERROR', message, { ...fields, ...describeError(error) });
  }

  private write(level: string, message: string, fields: LogFields): void {
    const entry: Record<string, string | number | boolean> = { level, message };
    for (const [key, value] of Object.entries({ ...this.context, ...fields })) {
      if (value !== undefined) entry[key] = typeof value === 'string' ? this.redactor.redact(value) : value;
    }
    entry['message'] = this.redactor.redact(message);
    this.sink(JSON.stringify(entry));
  }
}

function describeError(error: unknown): LogFields {
  if (!(error instanceof Error)) return { error: String(error) };
  const code = (error as { code?: unknown }).code;
  const cause = error.cause instanceof Error ? `${error.cause.name}: ${error.cause.message}` : undefined;
  return { errorName: error.name, error: error.message, errorCode: typeof code === 'string' ? code : undefined, cause, stack: error.stack };
}
