import { scrubText } from '../../adapters/aws-service-error.js';

/**
 * Removes secret values from text before it reaches a log line or a CloudFormation Reason.
 * It knows the values of the request at hand (`value` of new and old properties) and also blanks
 * the echo AWS validation errors make of inputs (`Value '…' at 'value'`).
 */
export class SecretRedactor {
  private readonly secrets: string[];

  constructor(secrets: Iterable<string>) {
    this.secrets = [...new Set(secrets)];
  }

  /** Collects every property called `value` anywhere in the event (direct or SNS-wrapped). */
  static forEvent(event: unknown): SecretRedactor {
    const found: string[] = [];
    collect(event, found, 0);
    return new SecretRedactor(found);
  }

  redact(text: string): string {
    return scrubText(text, this.secrets);
  }
}

const SECRET_PROPERTIES = new Set(['value']);

function collect(node: unknown, found: string[], depth: number): void {
  if (depth > 8 || node === null || typeof node !== 'object') return;
  for (const [key, child] of Object.entries(node)) {
    if (SECRET_PROPERTIES.has(key) && typeof child === 'string') found.push(child);
    else if (key === 'Message' && typeof child === 'string' && child.startsWith('{')) {
      try {
        collect(JSON.parse(child), found, depth + 1);
      } catch {
        // not JSON: nothing to collect
      }
    } else collect(child, found, depth + 1);
  }
}
