import { createHmac } from 'node:crypto';
import { verificationProblems, verifyRequest } from './verification';

const body = Buffer.from('{"event":"$pageview","messageId":"m-1"}');
const now = 1_800_000_000;

describe('verifyRequest', () => {
  it('passes everything when the type is none', () => {
    expect(verifyRequest({ type: 'none' }, body, {}, now)).toEqual({ ok: true });
  });

  describe('shared-secret header', () => {
    const setting = { type: 'header' as const, header: 'x-webhook-secret', secret: 's3cret-value' };
    it('accepts the exact secret', () => {
      expect(verifyRequest(setting, body, { 'x-webhook-secret': 's3cret-value' }, now).ok).toBe(true);
    });
    it.each([
      [{}, /missing header/],
      [{ 'x-webhook-secret': 's3cret-valuE' }, /does not match/],
      [{ 'x-webhook-secret': 's3cret-value ' }, /does not match/],
      [{ 'x-webhook-secret': '' }, /does not match/],
    ])('refuses %j', (headers, reason) => {
      const result = verifyRequest(setting, body, headers, now);
      expect(result.ok).toBe(false);
      expect(!result.ok && result.reason).toMatch(reason);
    });
  });

  describe('hmac_sha256', () => {
    const setting = { type: 'hmac_sha256' as const, header: 'x-signature', secret: 'hmac-secret-1' };
    const hex = createHmac('sha256', 'hmac-secret-1').update(body).digest('hex');
    it.each([hex, `sha256=${hex}`, hex.toUpperCase()])('accepts %s', (signature) => {
      expect(verifyRequest(setting, body, { 'x-signature': signature }, now).ok).toBe(true);
    });
    it('refuses the signature of another body', () => {
      const other = createHmac('sha256', 'hmac-secret-1').update('{}').digest('hex');
      expect(verifyRequest(setting, body, { 'x-signature': other }, now).ok).toBe(false);
    });
    it('refuses a signature made with another secret', () => {
      const other = createHmac('sha256', 'wrong').update(body).digest('hex');
      expect(verifyRequest(setting, body, { 'x-signature': other }, now).ok).toBe(false);
    });
  });

  describe('standard_webhooks (as PostHog signs)', () => {
    const key = Buffer.from('0123456789abcdef0123456789abcdef');
    const setting = { type: 'standard_webhooks' as const, secret: `whsec_${key.toString('base64')}` };
    const sign = (id: string, ts: number, payload: Buffer | string, k = key) =>
      `v1,${createHmac('sha256', k).update(`${id}.${ts}.`).update(payload).digest('base64')}`;
    const headers = (ts = now, signature = sign('msg_1', ts, body)) => ({
      'webhook-id': 'msg_1',
      'webhook-timestamp': String(ts),
      'webhook-signature': signature,
    });

    it('accepts a valid signature, with or without the whsec_ prefix', () => {
      expect(verifyRequest(setting, body, headers(), now).ok).toBe(true);
      expect(verifyRequest({ ...setting, secret: key.toString('base64') }, body, headers(), now).ok).toBe(
        true,
      );
    });
    it('accepts when any of several signatures matches', () => {
      const several = `v1,bm90LWl0 ${sign('msg_1', now, body)}`;
      expect(verifyRequest(setting, body, headers(now, several), now).ok).toBe(true);
    });
    it.each([
      ['a timestamp 6 minutes old', headers(now - 360, sign('msg_1', now - 360, body)), /5 minutes/],
      ['a timestamp 6 minutes ahead', headers(now + 360, sign('msg_1', now + 360, body)), /5 minutes/],
      ['another body', headers(now, sign('msg_1', now, '{}')), /no webhook-signature matches/],
      ['another id', headers(now, sign('msg_2', now, body)), /no webhook-signature matches/],
      [
        'another key',
        headers(now, sign('msg_1', now, body, Buffer.from('x'.repeat(32)))),
        /no webhook-signature/,
      ],
      [
        'a v2 signature',
        headers(now, sign('msg_1', now, body).replace('v1,', 'v2,')),
        /no webhook-signature/,
      ],
      ['a non-numeric timestamp', { ...headers(), 'webhook-timestamp': 'soon' }, /unix seconds/],
      ['no headers', {}, /missing/],
    ])('refuses %s', (_, given, reason) => {
      const result = verifyRequest(setting, body, given, now);
      expect(result.ok).toBe(false);
      expect(!result.ok && result.reason).toMatch(reason);
    });
  });
});

describe('verificationProblems', () => {
  it.each([
    [{ type: 'none' as const }, {}],
    [{ type: 'header' as const, header: 'x-a', secret: 'abcdefgh' }, {}],
    [{ type: 'header' as const, secret: 'abcdefgh' }, { 'verification.header': expect.any(String) }],
    [{ type: 'hmac_sha256' as const, header: 'x-a' }, { 'verification.secret': expect.any(String) }],
    [
      { type: 'standard_webhooks' as const, secret: 'whsec_not base64!' },
      { 'verification.secret': expect.any(String) },
    ],
    [
      { type: 'standard_webhooks' as const, secret: 'whsec_c2hvcnQ=' },
      { 'verification.secret': expect.any(String) },
    ],
  ])('%j → %j', (setting, expected) => {
    expect(verificationProblems(setting)).toEqual(expected);
  });
});
