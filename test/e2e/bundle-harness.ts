import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { motoClientConfig, motoEndpoint, MOTO_REGION } from '../support/moto.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BUNDLE = join(ROOT, 'dist', 'lambda', 'index.mjs');

/** Builds dist/lambda/index.mjs the way users do (`npm run package`), once per test file. */
export function buildBundle(): void {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'package.mjs')], { cwd: ROOT, stdio: 'pipe' });
  if (!existsSync(BUNDLE)) throw new Error(`npm run package did not produce ${BUNDLE}`);
}

/** A moto S3 bucket standing in for CloudFormation's response bucket. */
export class ResponseBucket {
  private readonly s3 = new S3Client({ ...motoClientConfig(), forcePathStyle: true });

  constructor(readonly bucket: string) {}

  async create(): Promise<void> {
    await this.s3.send(new CreateBucketCommand({ Bucket: this.bucket, CreateBucketConfiguration: { LocationConstraint: MOTO_REGION } }));
  }

  /** A presigned PUT URL, as CloudFormation hands one to the custom resource. */
  presignedUrl(key: string): Promise<string> {
    return getSignedUrl(this.s3, new PutObjectCommand({ Bucket: this.bucket, Key: key }), { expiresIn: 600 });
  }

  /** The raw body the Lambda PUT there, or undefined if nothing arrived. */
  async read(key: string): Promise<string | undefined> {
    try {
      const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return await object.Body?.transformToString('utf8');
    } catch {
      return undefined;
    }
  }
}

/** Runs events through the built bundle in one warm process; returns what it logged. */
export function invokeBundle(events: readonly object[], env: Record<string, string>): string {
  const result = spawnSync(process.execPath, [join(ROOT, 'test', 'e2e', 'invoke-bundle.mjs'), BUNDLE], {
    input: JSON.stringify(events),
    encoding: 'utf8',
    env: {
      PATH: process.env['PATH'] ?? '',
      AWS_REGION: MOTO_REGION,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_ENDPOINT_URL: motoEndpoint(),
      RESPONSE_URL_ALLOWED_HOSTS: '127.0.0.1',
      ...env,
    },
    timeout: 120_000,
  });
  if (result.status !== 0) throw new Error(`bundle exited ${result.status}: ${result.stderr}`);
  return `${result.stdout}\n${result.stderr}`;
}
