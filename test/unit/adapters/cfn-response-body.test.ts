import { describe, expect, it } from '@jest/globals';
import { MAX_RESPONSE_BYTES, serializeCfnResponse } from '../../../src/adapters/cfn-response-body.js';
import type { CfnResponse } from '../../../src/ports/cfn-responder.port.js';

const base: CfnResponse = {
  Status: 'FAILED',
  PhysicalResourceId: 'arn:aws:ssm:eu-central-1:123456789012:parameter/db',
  StackId: 'arn:aws:cloudformation:eu-central-1:123456789012:stack/s/1',
  RequestId: 'r-1',
  LogicalResourceId: 'Db',
  NoEcho: false,
  Data: {},
};

describe('Function: serializeCfnResponse', () => {
  it('keeps a small response as it is', () => {
    const body = serializeCfnResponse({ ...base, Reason: 'fine' });

    expect(JSON.parse(body)).toEqual({ ...base, Reason: 'fine' });
  });

  it('strips control characters such as ESC and newlines from Reason', () => {
    const body = serializeCfnResponse({ ...base, Reason: 'bad\u001b[31m red\r\nline\u0000end\t' });

    expect(JSON.parse(body).Reason).toBe('bad [31m red line end');
  });

  it.each([
    ['ASCII', 'x'],
    ['two-byte', 'é'],
    ['four-byte', '🔐'],
    ['escaped', '"'],
  ])('truncates an oversized %s Reason so the body is at most 4096 bytes, never touching Data', (_label, unit) => {
    const data = { Arn: 'arn:aws:ssm:eu-central-1:123456789012:parameter/db', Name: '/db', Version: '3', Backend: 'ssm', Response: 'arn' };

    const body = serializeCfnResponse({ ...base, Data: data, Reason: unit.repeat(5000) });

    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(MAX_RESPONSE_BYTES);
    expect(Buffer.byteLength(body)).toBeGreaterThan(MAX_RESPONSE_BYTES - 8);
    const parsed = JSON.parse(body);
    expect(parsed.Data).toEqual(data);
    expect(parsed.Reason).toMatch(/ … \(truncated\)$/);
    expect(parsed.Reason.startsWith(unit.repeat(10))).toBe(true);
  });

  it('accepts a body of exactly 4096 bytes unchanged', () => {
    const empty = Buffer.byteLength(JSON.stringify({ ...base, Reason: '' }));
    const reason = 'r'.repeat(MAX_RESPONSE_BYTES - empty);

    const body = serializeCfnResponse({ ...base, Reason: reason });

    expect(Buffer.byteLength(body)).toBe(MAX_RESPONSE_BYTES);
    expect(JSON.parse(body).Reason).toBe(reason);
  });

  it('turns a response whose Data alone is too large into FAILED without Data, rather than cutting Data', () => {
    const body = serializeCfnResponse({ ...base, Status: 'SUCCESS', NoEcho: true, Data: { Value: 'v'.repeat(5000) } });

    const parsed = JSON.parse(body);
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(MAX_RESPONSE_BYTES);
    expect(parsed).toMatchObject({ Status: 'FAILED', Data: {}, NoEcho: true });
    expect(parsed.Reason).toContain("turn 'returnValue' off");
  });
});
