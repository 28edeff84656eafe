import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

function run(...args: string[]) {
  const result = spawnSync(TSX, args, { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '' }, timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('CLI: credential-lifecycle invoke', () => {
  it('prints the response CloudFormation would receive for the seed event, in memory', () => {
    const { code, stdout } = run('src/entrypoints/cli/credential-lifecycle.ts', 'invoke', 'examples/events/create.json', '--backend', 'memory');

    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: 'arn:aws:ssm:eu-central-1:123456789012:parameter/test/testing12345',
      RequestId: '9bf90339-c6f0-47ff-ad67-e19226facf6e',
      Data: { Name: '/test/testing12345', Backend: 'ssm', Version: '1' },
    });
    expect(stdout).not.toContain('some-secret-value');
  });

  it('exits 2 with usage for a bad backend', () => {
    const { code, stderr } = run('src/entrypoints/cli/credential-lifecycle.ts', 'invoke', 'examples/events/create.json', '--backend', 'vault');

    expect(code).toBe(2);
    expect(stderr).toContain('--backend must be memory, ssm or secretsmanager');
  });
});

describe('npm start (the in-memory demo)', () => {
  it('runs Create → Update → key change → cleanup Delete → Delete, all SUCCESS, without printing a value', () => {
    const { code, stdout } = run('src/entrypoints/cli/demo.ts');

    expect(code).toBe(0);
    expect(stdout.match(/"Status": "SUCCESS"/g)).toHaveLength(5);
    expect(stdout).toContain('arn:aws:ssm:eu-central-1:123456789012:parameter/test/testing67890');
    expect(stdout).not.toMatch(/some-secret-value|rotated-secret-value/);
  });
});
