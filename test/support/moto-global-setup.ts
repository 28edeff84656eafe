import { execFileSync, spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Starts one moto server for the whole test run, on a free loopback port, installing moto into
 * the cached virtualenv first when it is missing. Tests find it through MOTO_ENDPOINT.
 */
export default async function setup(): Promise<void> {
  if (process.env['MOTO_ENDPOINT']) return; // an already running emulator was supplied
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const motoServer = execFileSync('bash', [join(root, 'scripts', 'ensure-moto.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  const port = await freeLoopbackPort();
  const log = join(tmpdir(), `credential-lifecycle-moto-${port}.log`);
  const child = spawn(motoServer, ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', openSync(log, 'a'), openSync(log, 'a')],
    detached: true,
  });
  child.unref();
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntilUp(endpoint, log);
  process.env['MOTO_ENDPOINT'] = endpoint;
  process.env['MOTO_PID'] = String(child.pid);
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitUntilUp(endpoint: string, log: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`moto_server did not answer on ${endpoint} within 60 s; see ${log}`);
}
