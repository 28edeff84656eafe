#!/usr/bin/env node
import { readFile } from 'node:fs/promises';
import { LocalInvoker } from './invoke-locally.js';

const USAGE = `Usage: credential-lifecycle invoke <event.json> [--backend memory|ssm|secretsmanager] [--verbose]

Runs the Lambda handler locally on a CloudFormation custom-resource event and prints the response
CloudFormation would receive. ssm/secretsmanager use your AWS credentials and AWS_REGION (or
AWS_ENDPOINT_URL for an emulator); memory keeps everything in this process.`;

async function main(argv: string[]): Promise<number> {
  const [command, file, ...rest] = argv;
  if (command !== 'invoke' || !file) {
    process.stderr.write(`${USAGE}\n`);
    return command === '--help' || command === '-h' ? 0 : 2;
  }
  const backendIndex = rest.indexOf('--backend');
  const backend = backendIndex >= 0 ? rest[backendIndex + 1] : undefined;
  if (backendIndex >= 0 && !['memory', 'ssm', 'secretsmanager'].includes(backend ?? '')) {
    process.stderr.write(`--backend must be memory, ssm or secretsmanager\n${USAGE}\n`);
    return 2;
  }
  const verbose = rest.includes('--verbose');
  const event = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  const env = { ...process.env, ...(backend !== undefined && { CREDENTIAL_BACKEND: backend }) };
  const invoker = new LocalInvoker(env, (line) => verbose && process.stderr.write(`${line}\n`));
  const response = await invoker.invoke(event);
  process.stdout.write(`${JSON.stringify(response, null, 2)}\n`);
  return response.Status === 'SUCCESS' ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`credential-lifecycle: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
