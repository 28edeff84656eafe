/**
 * `npm run bench` (tsx bench/lifecycle.bench.ts): a small benchmark, not a test. Everything runs on
 * the in-memory backend with no network. It measures
 *   (a) the full Lambda handler path for Create→Update→Delete cycles: throughput, p50/p99 latency;
 *   (b) serializeCfnResponse on its worst case (a 10,000-character multi-byte Reason);
 *   (c) cold start of the packaged bundle dist/lambda/index.mjs (median import time of fresh processes);
 *   (d) RSS after the handler cycles.
 * Every result is checked (each response must be SUCCESS, every child must exit 0); any failure
 * exits non-zero.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { serializeCfnResponse } from '../src/adapters/cfn-response-body.js';
import { InMemorySecretStore } from '../src/adapters/in-memory-secret-store.js';
import { RecordingCfnResponder } from '../src/adapters/recording-cfn-responder.js';
import { createCustomResourceHandler } from '../src/entrypoints/lambda/composition-root.js';
import type { CfnResponse } from '../src/ports/cfn-responder.port.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BUNDLE = join(ROOT, 'dist', 'lambda', 'index.mjs');

const WARMUP_CYCLES = 300;
const CYCLES = 2_000;
const SERIALIZE_WARMUP_MS = 300;
const SERIALIZE_MS = 1_500;
const COLD_START_RUNS = 7;

const REGION = 'eu-central-1';
const STACK_ID = 'arn:aws:cloudformation:eu-central-1:123456789012:stack/Bench/4f1a6b30-d1a2-11ed-8c5e-0a1b2c3d4e5f';
const RESPONSE_URL = 'https://cloudformation-custom-resource-response-eucentral1.s3.eu-central-1.amazonaws.com/arn%3Aaws/r?X-Amz-Signature=bench';
const SERVICE_TOKEN = 'arn:aws:lambda:eu-central-1:123456789012:function:bench';

interface Row {
  readonly metric: string;
  readonly value: string;
  readonly unit: string;
}

class BenchFailure extends Error {}

function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new BenchFailure(message);
}

function percentile(sorted: readonly number[], p: number): number {
  check(sorted.length > 0, 'percentile of an empty sample');
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

function median(values: readonly number[]): number {
  return percentile([...values].sort((a, b) => a - b), 50);
}

function mib(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

// ---------------------------------------------------------------------------------------------
// (a) + (d): handler cycles
// ---------------------------------------------------------------------------------------------

function event(requestType: 'Create' | 'Update' | 'Delete', cycle: number, extra: Record<string, unknown>): Record<string, unknown> {
  return {
    RequestType: requestType,
    RequestId: `00000000-0000-4000-8000-${String(cycle).padStart(8, '0')}${requestType.slice(0, 4).padStart(4, '0')}`,
    ResponseURL: RESPONSE_URL,
    ResourceType: 'Custom::SSMCredential',
    LogicalResourceId: 'BenchCredential',
    StackId: STACK_ID,
    ...extra,
  };
}

async function handlerCycles(): Promise<Row[]> {
  const responder = new RecordingCfnResponder();
  const ssm = new InMemorySecretStore('ssm');
  const secretsmanager = new InMemorySecretStore('secretsmanager');
  const handler = createCustomResourceHandler(
    { AWS_REGION: REGION },
    { responder, logSink: () => {}, storeFactories: { ssm: () => ssm, secretsmanager: () => secretsmanager } },
  );

  const lastResponse = (what: string): CfnResponse => {
    check(responder.responses.length === 1, `${what}: expected exactly 1 response, got ${responder.responses.length}`);
    const response = responder.last() as CfnResponse;
    responder.responses.length = 0; // keep the recorder from growing across cycles
    check(response.Status === 'SUCCESS', `${what}: ${response.Status} ${response.Reason ?? ''}`);
    return response;
  };

  /** One Create→Update→Delete cycle; returns the three request latencies in ms. */
  const cycle = async (index: number): Promise<[number, number, number]> => {
    const key = `/bench/cycle-${index}`;
    const v1 = { ServiceToken: SERVICE_TOKEN, key, value: `value-one-${index}` };
    const v2 = { ServiceToken: SERVICE_TOKEN, key, value: `value-two-${index}` };

    let started = performance.now();
    await handler.handle(event('Create', index, { ResourceProperties: v1 }));
    const create = performance.now() - started;
    const created = lastResponse(`Create #${index}`);
    check(created.Data['Version'] === '1', `Create #${index}: Version ${created.Data['Version']}`);

    started = performance.now();
    await handler.handle(event('Update', index, { PhysicalResourceId: created.PhysicalResourceId, ResourceProperties: v2, OldResourceProperties: v1 }));
    const update = performance.now() - started;
    const updated = lastResponse(`Update #${index}`);
    check(updated.PhysicalResourceId === created.PhysicalResourceId, `Update #${index} replaced the resource`);
    check(updated.Data['Version'] === '2', `Update #${index}: Version ${updated.Data['Version']}`);

    started = performance.now();
    await handler.handle(event('Delete', index, { PhysicalResourceId: created.PhysicalResourceId, ResourceProperties: v2 }));
    const remove = performance.now() - started;
    const deleted = lastResponse(`Delete #${index}`);
    check(deleted.Reason === undefined, `Delete #${index} did not delete: ${deleted.Reason}`);
    return [create, update, remove];
  };

  const rssBefore = process.memoryUsage().rss;
  for (let i = 0; i < WARMUP_CYCLES; i++) await cycle(-1 - i);

  const cycleMs: number[] = [];
  const requestMs: number[] = [];
  const byType: [number[], number[], number[]] = [[], [], []];
  let peakRss = process.memoryUsage().rss;
  const started = performance.now();
  for (let i = 0; i < CYCLES; i++) {
    const latencies = await cycle(i);
    cycleMs.push(latencies[0] + latencies[1] + latencies[2]);
    latencies.forEach((ms, type) => {
      requestMs.push(ms);
      byType[type as 0 | 1 | 2].push(ms);
    });
    if (i % 50 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  const elapsedMs = performance.now() - started;
  const rssAfter = process.memoryUsage().rss;
  peakRss = Math.max(peakRss, rssAfter);

  const sortedCycles = [...cycleMs].sort((a, b) => a - b);
  const sortedRequests = [...requestMs].sort((a, b) => a - b);
  const [creates, updates, deletes] = byType.map((values) => [...values].sort((a, b) => a - b)) as [number[], number[], number[]];
  return [
    { metric: `handler: cycles (Create+Update+Delete, after ${WARMUP_CYCLES} warm-up)`, value: String(CYCLES), unit: 'cycles' },
    { metric: 'handler: total time', value: elapsedMs.toFixed(0), unit: 'ms' },
    { metric: 'handler: throughput', value: ((CYCLES / elapsedMs) * 1000).toFixed(0), unit: 'cycles/s' },
    { metric: 'handler: throughput', value: (((CYCLES * 3) / elapsedMs) * 1000).toFixed(0), unit: 'requests/s' },
    { metric: 'handler: cycle latency p50', value: percentile(sortedCycles, 50).toFixed(3), unit: 'ms' },
    { metric: 'handler: cycle latency p99', value: percentile(sortedCycles, 99).toFixed(3), unit: 'ms' },
    { metric: 'handler: request latency p50', value: percentile(sortedRequests, 50).toFixed(3), unit: 'ms' },
    { metric: 'handler: request latency p99', value: percentile(sortedRequests, 99).toFixed(3), unit: 'ms' },
    { metric: 'handler: Create p50 / p99', value: `${percentile(creates, 50).toFixed(3)} / ${percentile(creates, 99).toFixed(3)}`, unit: 'ms' },
    { metric: 'handler: Update p50 / p99', value: `${percentile(updates, 50).toFixed(3)} / ${percentile(updates, 99).toFixed(3)}`, unit: 'ms' },
    { metric: 'handler: Delete p50 / p99', value: `${percentile(deletes, 50).toFixed(3)} / ${percentile(deletes, 99).toFixed(3)}`, unit: 'ms' },
    { metric: 'memory: RSS before the handler cycles (tsx + modules loaded)', value: mib(rssBefore), unit: 'MiB' },
    { metric: 'memory: RSS after the handler cycles', value: mib(rssAfter), unit: 'MiB' },
    { metric: 'memory: peak RSS sampled during the cycles', value: mib(peakRss), unit: 'MiB' },
    { metric: 'memory: process max RSS (getrusage)', value: mib(process.resourceUsage().maxRSS * 1024), unit: 'MiB' },
  ];
}

// ---------------------------------------------------------------------------------------------
// (b) serializeCfnResponse worst case
// ---------------------------------------------------------------------------------------------

function serializeWorstCase(): Row[] {
  const reason = 'é🔐'.repeat(5_000); // 10,000 characters (code points), 30,000 UTF-8 bytes
  check([...reason].length === 10_000, 'worst-case Reason is not 10,000 characters');
  const response: CfnResponse = {
    Status: 'FAILED',
    Reason: reason,
    PhysicalResourceId: 'arn:aws:ssm:eu-central-1:123456789012:parameter/bench/worst-case',
    StackId: STACK_ID,
    RequestId: '00000000-0000-4000-8000-000000000000',
    LogicalResourceId: 'BenchCredential',
    NoEcho: false,
    Data: {},
  };
  const body = serializeCfnResponse(response);
  const bytes = Buffer.byteLength(body);
  check(bytes <= 4096, `serializeCfnResponse produced ${bytes} bytes (> 4096)`);
  const parsed = JSON.parse(body) as CfnResponse;
  check(parsed.Status === 'FAILED' && (parsed.Reason ?? '').endsWith('(truncated)'), 'worst-case body was not truncated as expected');

  const run = (budgetMs: number): { ops: number; ms: number } => {
    let ops = 0;
    let sink = 0;
    const started = performance.now();
    let now = started;
    while (now - started < budgetMs || ops < 20) {
      sink += serializeCfnResponse(response).length;
      ops += 1;
      if (ops % 10 === 0) now = performance.now();
    }
    now = performance.now();
    check(sink > 0, 'serializer sink is empty');
    return { ops, ms: now - started };
  };
  run(SERIALIZE_WARMUP_MS);
  const { ops, ms } = run(SERIALIZE_MS);
  return [
    { metric: 'serializeCfnResponse: worst case (10,000-char multi-byte Reason)', value: ((ops / ms) * 1000).toFixed(0), unit: 'ops/s' },
    { metric: 'serializeCfnResponse: mean time per call', value: ((ms / ops) * 1000).toFixed(1), unit: 'µs' },
    { metric: 'serializeCfnResponse: output size', value: String(bytes), unit: 'bytes' },
  ];
}

// ---------------------------------------------------------------------------------------------
// (c) cold start of the packaged bundle
// ---------------------------------------------------------------------------------------------

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function ensureBundle(): string[] {
  const notes: string[] = [];
  if (!existsSync(BUNDLE)) {
    console.log(`${BUNDLE} is missing: running npm run package`);
    const result = spawnSync('npm', ['run', 'package'], { cwd: ROOT, stdio: 'inherit' });
    if (result.error) throw new BenchFailure(`npm run package could not start: ${result.error.message}`);
    check(result.status === 0, `npm run package failed with exit code ${result.status ?? `signal ${result.signal}`}`);
    check(existsSync(BUNDLE), `npm run package succeeded but ${BUNDLE} still does not exist`);
  } else if (statSync(BUNDLE).mtimeMs < newestMtime(join(ROOT, 'src'))) {
    notes.push('note: dist/lambda/index.mjs is older than src/; run `npm run package` for current numbers');
  }
  return notes;
}

const MARK = 'BENCH_RESULT ';

/** Runs in a fresh node process: import the bundle, then one Create through its handler. */
const CHILD_SCRIPT = `
const t0 = process.hrtime.bigint();
const mod = await import(${JSON.stringify(new URL('../dist/lambda/index.mjs', import.meta.url).href)});
const t1 = process.hrtime.bigint();
if (typeof mod.handler !== 'function') throw new Error('dist/lambda/index.mjs exports no handler');
const result = await mod.handler({
  RequestType: 'Create', RequestId: 'cold-start', ResponseURL: ${JSON.stringify(RESPONSE_URL)},
  ResourceType: 'Custom::SSMCredential', LogicalResourceId: 'BenchCredential', StackId: ${JSON.stringify(STACK_ID)},
  ResourceProperties: { ServiceToken: ${JSON.stringify(SERVICE_TOKEN)}, key: '/bench/cold-start', value: 'cold-start-value' },
});
const t2 = process.hrtime.bigint();
if (!result || typeof result.PhysicalResourceId !== 'string') throw new Error('first invocation returned ' + JSON.stringify(result));
process.stdout.write('\\n${MARK}' + JSON.stringify({ importMs: Number(t1 - t0) / 1e6, firstInvokeMs: Number(t2 - t1) / 1e6 }) + '\\n');
`;

function coldStart(): Row[] {
  const notes = ensureBundle();
  const imports: number[] = [];
  const invokes: number[] = [];
  const processes: number[] = [];
  const bundleBytes = statSync(BUNDLE).size;
  for (let run = 0; run < COLD_START_RUNS; run++) {
    const started = performance.now();
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', CHILD_SCRIPT], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
      // memory backend + return mode: the first invocation touches neither AWS nor the network.
      env: { PATH: process.env['PATH'] ?? '', AWS_REGION: REGION, CREDENTIAL_BACKEND: 'memory', RESPONSE_MODE: 'return' },
    });
    const wallMs = performance.now() - started;
    if (child.error) throw new BenchFailure(`cold-start run ${run + 1} could not start: ${child.error.message}`);
    check(child.status === 0, `cold-start run ${run + 1} exited with ${child.status ?? `signal ${child.signal}`}: ${child.stderr.trim().slice(-2000)}`);
    const line = child.stdout.split('\n').find((text) => text.startsWith(MARK));
    check(line !== undefined, `cold-start run ${run + 1} printed no result: ${child.stdout.slice(-500)}`);
    const result = JSON.parse(line.slice(MARK.length)) as { importMs: number; firstInvokeMs: number };
    check(Number.isFinite(result.importMs) && Number.isFinite(result.firstInvokeMs), `cold-start run ${run + 1}: bad result ${line}`);
    imports.push(result.importMs);
    invokes.push(result.firstInvokeMs);
    processes.push(wallMs);
  }
  for (const note of notes) console.log(note);
  return [
    { metric: `cold start: bundle size (dist/lambda/index.mjs)`, value: (bundleBytes / 1024).toFixed(0), unit: 'KiB' },
    { metric: `cold start: import of the bundle, median of ${COLD_START_RUNS}`, value: median(imports).toFixed(1), unit: 'ms' },
    { metric: `cold start: import min / max`, value: `${Math.min(...imports).toFixed(1)} / ${Math.max(...imports).toFixed(1)}`, unit: 'ms' },
    { metric: 'cold start: first invocation (memory, return mode), median', value: median(invokes).toFixed(1), unit: 'ms' },
    { metric: 'cold start: whole node process (spawn to exit), median', value: median(processes).toFixed(1), unit: 'ms' },
  ];
}

// ---------------------------------------------------------------------------------------------

function printTable(rows: readonly Row[]): void {
  const header: Row = { metric: 'metric', value: 'value', unit: 'unit' };
  const widths = {
    metric: Math.max(...[header, ...rows].map((row) => row.metric.length)),
    value: Math.max(...[header, ...rows].map((row) => row.value.length)),
  };
  const line = (row: Row): string => `${row.metric.padEnd(widths.metric)}  ${row.value.padStart(widths.value)}  ${row.unit}`;
  console.log(line(header));
  console.log(`${'-'.repeat(widths.metric)}  ${'-'.repeat(widths.value)}  ----`);
  for (const row of rows) console.log(line(row));
}

async function main(): Promise<void> {
  const started = performance.now();
  console.log(`credential-lifecycle benchmark — node ${process.version}, ${process.platform}/${process.arch}`);
  const rows: Row[] = [];
  rows.push(...(await handlerCycles()));
  rows.push(...serializeWorstCase());
  rows.push(...coldStart());
  rows.push({ metric: 'benchmark wall time', value: ((performance.now() - started) / 1000).toFixed(1), unit: 's' });
  console.log('');
  printTable(rows);
}

main().then(
  () => {
    process.exitCode = 0;
  },
  (error: unknown) => {
    console.error(`benchmark FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  },
);
