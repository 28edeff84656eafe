import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serializeCfnResponse } from '../../src/adapters/cfn-response-body.js';
import { HttpsCfnResponder, ResponseDeliveryError, type HttpsCfnResponderOptions } from '../../src/adapters/https-cfn-responder.js';
import { assertAllowedResponseUrl, ResponseUrlRejectedError } from '../../src/adapters/response-url-policy.js';
import type { CfnResponse } from '../../src/ports/cfn-responder.port.js';

/**
 * HttpsCfnResponder against a real node:http server on 127.0.0.1 (loopback only). Sleeps are
 * recorded instead of waited, so the retry tests run in milliseconds.
 */

const SIGNATURE = 'X-Amz-Signature=0123topsecretsignature4567';
const QUERY = `?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20240101&${SIGNATURE}`;
const PATH = '/arn%3Aaws%3Acloudformation%3Aeu-central-1%3A123456789012%3Astack/s/1%7CDb%7Cr-1';

const RESPONSE: CfnResponse = {
  Status: 'SUCCESS',
  Reason: 'Created é🔐 the secret',
  PhysicalResourceId: 'arn:aws:ssm:eu-central-1:123456789012:parameter/db',
  StackId: 'arn:aws:cloudformation:eu-central-1:123456789012:stack/s/1',
  RequestId: 'r-1',
  LogicalResourceId: 'Db',
  NoEcho: false,
  Data: { Name: '/db', Version: '1' },
};

/** What the server answers to the n-th request (the last entry repeats). */
type Reply = number | 'hang' | 'stall-body' | 'trickle';

interface Received {
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly headers: IncomingHttpHeaders;
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
  readonly at: number;
}

interface TestServer {
  readonly port: number;
  readonly received: Received[];
  url(pathAndQuery?: string): string;
}

const servers: Server[] = [];

async function startServer(replies: readonly Reply[]): Promise<TestServer> {
  const received: Received[] = [];
  const parked: ServerResponse[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const index = received.length;
      received.push({ method: request.method, url: request.url, headers: request.headers, rawHeaders: request.rawHeaders, body: Buffer.concat(chunks), at: Date.now() });
      const reply = replies[Math.min(index, replies.length - 1)] ?? 500;
      if (reply === 'hang') {
        parked.push(response); // accepted and read, never answered
      } else if (reply === 'trickle') {
        // Never silent long enough for an idle timeout, never finished.
        response.writeHead(200, { 'content-length': '100000' });
        const drip = setInterval(() => response.write('.'), 50);
        response.on('close', () => clearInterval(drip));
        parked.push(response);
      } else if (reply === 'stall-body') {
        response.writeHead(200, { 'content-length': '100' });
        response.write('partial'); // headers and a few bytes, then silence
        parked.push(response);
      } else {
        response.writeHead(reply, { 'content-type': 'text/plain' }).end(`status ${reply}`);
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  servers.push(server);
  const port = (server.address() as AddressInfo).port;
  return { port, received, url: (pathAndQuery = `${PATH}${QUERY}`) => `http://127.0.0.1:${port}${pathAndQuery}` };
}

async function closeServers(): Promise<void> {
  const closing = servers.splice(0).map(
    (server) =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  await Promise.all(closing);
}

/** A loopback port with nothing listening on it. */
async function refusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Counts every client socket and HTTP request the process opens: proves "no network call". */
const network = { sockets: 0, requests: 0 };
const onSocket = (): void => {
  network.sockets += 1;
};
const onRequest = (): void => {
  network.requests += 1;
};

function responder(options: Partial<HttpsCfnResponderOptions> = {}) {
  const delays: number[] = [];
  const instance = new HttpsCfnResponder({
    allowedHosts: ['127.0.0.1'],
    sleep: async (ms) => {
      delays.push(ms);
    },
    ...options,
  });
  return { responder: instance, delays };
}

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

describe('Class: HttpsCfnResponder', () => {
  beforeAll(() => {
    subscribe('net.client.socket', onSocket);
    subscribe('http.client.request.start', onRequest);
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    network.sockets = 0;
    network.requests = 0;
    await closeServers();
  });

  afterAll(async () => {
    unsubscribe('net.client.socket', onSocket);
    unsubscribe('http.client.request.start', onRequest);
    await closeServers();
  });

  describe('Method: send', () => {
    it('PUTs exactly the serialized body to the full presigned URL, signature included', async () => {
      // Prepare
      const server = await startServer([200]);
      const { responder: sut, delays } = responder();

      // Act
      await sut.send(server.url(), RESPONSE);

      // Assess
      expect(server.received).toHaveLength(1);
      const [request] = server.received;
      expect(request?.method).toBe('PUT');
      expect(request?.url).toBe(`${PATH}${QUERY}`);
      expect(request?.body.toString('utf8')).toBe(serializeCfnResponse(RESPONSE));
      expect(JSON.parse(request?.body.toString('utf8') ?? '')).toEqual(RESPONSE);
      expect(delays).toEqual([]);
      expect(network.requests).toBe(1);
      expect(network.sockets).toBeGreaterThanOrEqual(1); // the detector used by the policy tests works
    });

    it('sends a content-type header that is present and empty', async () => {
      // Prepare
      const server = await startServer([200]);
      const { responder: sut } = responder();

      // Act
      await sut.send(server.url(), RESPONSE);

      // Assess
      const headers = server.received[0]?.headers ?? {};
      expect(Object.keys(headers)).toContain('content-type');
      expect(headers['content-type']).toBe('');
      const raw = server.received[0]?.rawHeaders ?? [];
      const index = raw.findIndex((name) => name.toLowerCase() === 'content-type');
      expect(index).toBeGreaterThanOrEqual(0);
      expect(raw[index + 1]).toBe('');
    });

    it('sends content-length as the byte length of a non-ASCII body, not its string length', async () => {
      // Prepare
      const server = await startServer([200]);
      const { responder: sut } = responder();
      const response: CfnResponse = { ...RESPONSE, Status: 'FAILED', Reason: 'é🔐' };
      const serialized = serializeCfnResponse(response);
      expect(Buffer.byteLength(serialized)).not.toBe(serialized.length); // the case discriminates

      // Act
      await sut.send(server.url(), response);

      // Assess
      const request = server.received[0];
      expect(request?.headers['content-length']).toBe(String(Buffer.byteLength(serialized)));
      expect(request?.headers['transfer-encoding']).toBeUndefined();
      expect(request?.body.byteLength).toBe(Buffer.byteLength(serialized));
      expect(JSON.parse(request?.body.toString('utf8') ?? '').Reason).toBe('é🔐');
    });

    it('never sends a body over 4096 bytes, even for a huge multi-byte Reason', async () => {
      // Prepare
      const server = await startServer([200]);
      const { responder: sut } = responder();
      const response: CfnResponse = { ...RESPONSE, Status: 'FAILED', Reason: 'é🔐'.repeat(5_000) };

      // Act
      await sut.send(server.url(), response);

      // Assess
      const request = server.received[0];
      expect(request?.body.byteLength).toBeLessThanOrEqual(4096);
      expect(request?.body.byteLength).toBeGreaterThan(4096 - 8);
      expect(request?.headers['content-length']).toBe(String(request?.body.byteLength));
      const parsed = JSON.parse(request?.body.toString('utf8') ?? '') as CfnResponse;
      expect(parsed.Data).toEqual(RESPONSE.Data);
      expect(parsed.Reason?.startsWith('é🔐é🔐')).toBe(true);
      expect(parsed.Reason?.endsWith('(truncated)')).toBe(true);
    });

    it('retries after 500, 500 and succeeds on the 3rd attempt', async () => {
      // Prepare
      const server = await startServer([500, 500, 200]);
      const { responder: sut, delays } = responder();

      // Act
      await sut.send(server.url(), RESPONSE);

      // Assess
      expect(server.received).toHaveLength(3);
      expect(delays).toHaveLength(2);
      const bodies = new Set(server.received.map((request) => request.body.toString('utf8')));
      expect([...bodies]).toEqual([serializeCfnResponse(RESPONSE)]); // every attempt sends the same body
    });

    it('retries after 429 Too Many Requests', async () => {
      // Prepare
      const server = await startServer([429, 200]);
      const { responder: sut, delays } = responder();

      // Act
      await sut.send(server.url(), RESPONSE);

      // Assess
      expect(server.received).toHaveLength(2);
      expect(delays).toHaveLength(1);
    });

    it.each([400, 403, 404, 410])('fails after exactly 1 attempt on HTTP %i (no retry on 4xx other than 429)', async (status) => {
      // Prepare
      const server = await startServer([status, 200]);
      const { responder: sut, delays } = responder();

      // Act
      const error = await errorOf(sut.send(server.url(), RESPONSE));

      // Assess
      expect(error).toBeInstanceOf(ResponseDeliveryError);
      expect(error).toMatchObject({ code: 'RESPONSE.UNDELIVERED', name: 'ResponseDeliveryError' });
      expect((error as Error).message).toContain(`HTTP ${status}`);
      expect(server.received).toHaveLength(1);
      expect(delays).toEqual([]);
    });

    it('makes 5 attempts by default against a server that always returns 503, then throws', async () => {
      // Prepare
      const server = await startServer([503]);
      const { responder: sut, delays } = responder();

      // Act
      const error = await errorOf(sut.send(server.url(), RESPONSE));

      // Assess
      expect(error).toBeInstanceOf(ResponseDeliveryError);
      expect((error as ResponseDeliveryError).code).toBe('RESPONSE.UNDELIVERED');
      expect((error as Error).message).toContain('HTTP 503');
      expect(server.received).toHaveLength(5);
      expect(delays).toHaveLength(4); // no sleep after the last attempt
      // Default full jitter: base 500 ms doubling, capped at 4000 ms.
      [500, 1_000, 2_000, 4_000].forEach((ceiling, index) => {
        expect(delays[index]).toBeGreaterThanOrEqual(0);
        expect(delays[index]).toBeLessThan(ceiling);
      });
    });

    it('keeps every jittered delay within [0, min(maxDelayMs, baseDelayMs * 2^n))', async () => {
      // Prepare
      const server = await startServer([503]);
      const { responder: sut, delays } = responder({ maxAttempts: 7, baseDelayMs: 100, maxDelayMs: 250 });
      const ceilings = [100, 200, 250, 250, 250, 250];

      // Act
      for (let run = 0; run < 5; run++) await errorOf(sut.send(server.url(), RESPONSE));

      // Assess
      expect(server.received).toHaveLength(35);
      expect(delays).toHaveLength(30);
      delays.forEach((delay, index) => {
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(ceilings[index % ceilings.length] ?? 0);
        expect(delay).toBeLessThanOrEqual(250);
      });
      expect(new Set(delays).size).toBeGreaterThan(1); // jittered, not a fixed schedule
    });

    it('caps the backoff at maxDelayMs even when the jitter draws its maximum', async () => {
      // Prepare
      jest.spyOn(Math, 'random').mockReturnValue(0.999);
      const server = await startServer([503]);
      const { responder: sut, delays } = responder({ maxAttempts: 6, baseDelayMs: 100, maxDelayMs: 250 });

      // Act
      await errorOf(sut.send(server.url(), RESPONSE));

      // Assess
      expect(delays).toHaveLength(5);
      [99.9, 199.8, 249.75, 249.75, 249.75].forEach((expected, index) => expect(delays[index]).toBeCloseTo(expected, 6));
    });

    it('abandons an attempt the server accepts but never answers after attemptTimeoutMs, and retries', async () => {
      // Prepare
      const server = await startServer(['hang', 200]);
      const { responder: sut, delays } = responder({ attemptTimeoutMs: 300 });
      const started = Date.now();

      // Act
      await sut.send(server.url(), RESPONSE);

      // Assess
      const elapsed = Date.now() - started;
      expect(server.received).toHaveLength(2);
      expect(delays).toHaveLength(1);
      const gap = (server.received[1]?.at ?? 0) - (server.received[0]?.at ?? 0);
      expect(gap).toBeGreaterThanOrEqual(250);
      expect(elapsed).toBeLessThan(5_000);
    });

    it('gives up after the last attempt when the server never answers', async () => {
      // Prepare
      const server = await startServer(['hang']);
      const { responder: sut, delays } = responder({ attemptTimeoutMs: 200, maxAttempts: 3 });
      const started = Date.now();

      // Act
      const error = await errorOf(sut.send(server.url(), RESPONSE));

      // Assess
      expect(error).toBeInstanceOf(ResponseDeliveryError);
      expect((error as Error).message).toContain('200 ms');
      expect(server.received).toHaveLength(3);
      expect(delays).toHaveLength(2);
      expect(Date.now() - started).toBeGreaterThanOrEqual(3 * 200 - 50);
      expect(Date.now() - started).toBeLessThan(5_000);
    });

    it('bounds a whole attempt, not just silence: a server trickling bytes is cut off after attemptTimeoutMs', async () => {
      // Prepare
      const server = await startServer(['trickle']);
      const { responder: sut } = responder({ attemptTimeoutMs: 300, maxAttempts: 1 });
      const started = Date.now();

      // Act
      const error = await errorOf(sut.send(server.url(), RESPONSE));

      // Assess
      expect(error).toBeInstanceOf(ResponseDeliveryError);
      expect(Date.now() - started).toBeLessThan(1_500);
    });

    it('never runs past the deadline it is given, whatever attemptTimeoutMs says', async () => {
      // Prepare
      const server = await startServer(['hang']);
      const { responder: sut } = responder({ attemptTimeoutMs: 30_000 });
      const started = Date.now();

      // Act
      const error = await errorOf(sut.send(server.url(), RESPONSE, { deadline: started + 700 }));

      // Assess
      expect(error).toBeInstanceOf(ResponseDeliveryError);
      expect(server.received.length).toBeGreaterThanOrEqual(1);
      expect(Date.now() - started).toBeLessThan(1_500);
    });

    it('makes no attempt at all when the deadline has passed', async () => {
      // Prepare
      const server = await startServer([200]);
      const { responder: sut } = responder();

      // Act
      const error = await errorOf(sut.send(server.url(), RESPONSE, { deadline: Date.now() - 1 }));

      // Assess
      expect((error as Error).message).toContain('no time left before the Lambda timeout');
      expect(server.received).toHaveLength(0);
    });

    it('does not count a 200 whose body never finishes as delivered: it times out and retries', async () => {
      // Prepare
      const server = await startServer(['stall-body', 204]);
      const { responder: sut, delays } = responder({ attemptTimeoutMs: 300 });

      // Act
      await sut.send(server.url(), RESPONSE);

      // Assess
      expect(server.received).toHaveLength(2);
      expect(delays).toHaveLength(1);
    });

    it('retries a refused connection and then fails', async () => {
      // Prepare
      const port = await refusedPort();
      const { responder: sut, delays } = responder({ maxAttempts: 3 });

      // Act
      const error = await errorOf(sut.send(`http://127.0.0.1:${port}${PATH}${QUERY}`, RESPONSE));

      // Assess
      expect(error).toBeInstanceOf(ResponseDeliveryError);
      expect((error as Error).message).toContain('ECONNREFUSED');
      expect(network.requests).toBe(3);
      expect(delays).toHaveLength(2);
    });

    it('names scheme, host and path in the delivery error but never the query string (the signature)', async () => {
      // Prepare
      const server = await startServer([403]);
      const { responder: sut } = responder();

      // Act
      const error = await errorOf(sut.send(server.url(), RESPONSE));

      // Assess
      expect(error).toBeInstanceOf(ResponseDeliveryError);
      const message = (error as Error).message;
      expect(message).toContain(`http://127.0.0.1:${server.port}${PATH}`);
      expect(message).not.toContain('topsecretsignature');
      expect(message).not.toContain('X-Amz-');
      expect(message).not.toContain('AKIAEXAMPLE');
      expect(message).not.toContain('?');
      expect(JSON.stringify(error)).not.toContain('topsecretsignature');
      expect(server.received[0]?.url).toContain(SIGNATURE); // the server did get it: only the message drops it
    });

    it('keeps the query string out of the error after a refused connection too', async () => {
      // Prepare
      const port = await refusedPort();
      const { responder: sut } = responder({ maxAttempts: 2 });

      // Act
      const error = await errorOf(sut.send(`http://127.0.0.1:${port}${PATH}${QUERY}`, RESPONSE));

      // Assess
      expect((error as Error).message).toContain(`http://127.0.0.1:${port}${PATH}`);
      expect((error as Error).message).not.toContain('topsecretsignature');
    });

    describe('ResponseURL host policy', () => {
      it.each([
        ['http to a non-loopback allowed host', ['127.0.0.1', 'emulator.internal'], 'http://emulator.internal:4566'],
        ['an unknown host', ['127.0.0.1'], 'https://example.com'],
        ['an https non-AWS host', ['127.0.0.1'], 'https://cloudformation-responses.example.org'],
        ['an amazonaws.com look-alike', ['127.0.0.1'], 'https://bucket.s3.amazonaws.com.evil.com'],
        ['an amazonaws.com.cn look-alike', ['127.0.0.1'], 'https://bucket.s3.amazonaws.com.cn.evil.com'],
        ['a host merely ending in amazonaws.com', ['127.0.0.1'], 'https://evilamazonaws.com'],
        ['plain http to an AWS host', ['127.0.0.1'], 'http://bucket.s3.eu-central-1.amazonaws.com'],
        ['a non-http scheme to an allowed host', ['127.0.0.1'], 'ftp://127.0.0.1'],
      ])('rejects %s without any network call', async (_label, allowedHosts, origin) => {
        // Prepare
        const { responder: sut, delays } = responder({ allowedHosts });

        // Act
        const error = await errorOf(sut.send(`${origin}${PATH}${QUERY}`, RESPONSE));

        // Assess
        expect(error).toBeInstanceOf(ResponseUrlRejectedError);
        expect(error).toMatchObject({ code: 'RESPONSE_URL.REJECTED' });
        expect((error as Error).message).not.toContain('topsecretsignature');
        expect(network).toEqual({ sockets: 0, requests: 0 });
        expect(delays).toEqual([]);
      });

      it('rejects a loopback host that is not in allowedHosts, although a server listens there', async () => {
        // Prepare
        const server = await startServer([200]);
        const { responder: sut } = responder({ allowedHosts: ['127.0.0.1'] });

        // Act
        const error = await errorOf(sut.send(`http://localhost:${server.port}${PATH}${QUERY}`, RESPONSE));

        // Assess
        expect(error).toBeInstanceOf(ResponseUrlRejectedError);
        expect(server.received).toHaveLength(0);
        expect(network).toEqual({ sockets: 0, requests: 0 });
      });

      it('rejects even 127.0.0.1 by default (no allowedHosts)', async () => {
        // Prepare
        const server = await startServer([200]);
        const { responder: sut } = responder({ allowedHosts: [] });

        // Act
        const error = await errorOf(sut.send(server.url(), RESPONSE));

        // Assess
        expect(error).toBeInstanceOf(ResponseUrlRejectedError);
        expect(server.received).toHaveLength(0);
        expect(network).toEqual({ sockets: 0, requests: 0 });
      });

      it('rejects a ResponseURL that is not a URL', async () => {
        // Prepare
        const { responder: sut } = responder();

        // Act
        const error = await errorOf(sut.send('not a url', RESPONSE));

        // Assess
        expect(error).toBeInstanceOf(ResponseUrlRejectedError);
        expect(network).toEqual({ sockets: 0, requests: 0 });
      });
    });
  });
});

describe('Function: assertAllowedResponseUrl', () => {
  it.each([
    'https://cloudformation-custom-resource-response-eucentral1.s3.eu-central-1.amazonaws.com/arn%3Aaws/r-1?X-Amz-Signature=x',
    'https://cloudformation-custom-resource-response-cnnorth1.s3.cn-north-1.amazonaws.com.cn/arn%3Aaws-cn/r-1?X-Amz-Signature=x',
    'https://S3.AMAZONAWS.COM/bucket/key',
  ])('accepts https to an AWS host: %s', (url) => {
    // Act
    const accepted = assertAllowedResponseUrl(url, []);

    // Assess
    expect(accepted.href.toLowerCase()).toBe(new URL(url).href.toLowerCase());
  });

  it('accepts https to an extra host and plain http only to a loopback extra host', () => {
    // Act + Assess
    expect(assertAllowedResponseUrl('https://emulator.internal:4566/r', ['emulator.internal']).hostname).toBe('emulator.internal');
    expect(assertAllowedResponseUrl('http://127.0.0.1:4566/r', ['127.0.0.1']).port).toBe('4566');
    expect(() => assertAllowedResponseUrl('http://emulator.internal:4566/r', ['emulator.internal'])).toThrow(ResponseUrlRejectedError);
  });
});
