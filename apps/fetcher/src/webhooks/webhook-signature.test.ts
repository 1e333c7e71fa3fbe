import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook } from './webhook-signature';

const SECRET = 'whsec-test-0123456789abcdef';
const NOW = Date.parse('2026-11-25T12:00:00Z');
const body = Buffer.from('{"eventId":"evt-1","quotes":[]}');

function signed(timestamp = NOW / 1000, secret = SECRET, rawBody: Buffer | string = body) {
  const headers = signWebhook({ secret, timestamp, rawBody });
  return { timestampHeader: headers.timestamp, signatureHeader: headers.signature };
}

const verify = (
  headers: { timestampHeader?: string; signatureHeader?: string },
  rawBody: Buffer | string = body,
) =>
  verifyWebhook({
    secret: SECRET,
    timestampHeader: headers.timestampHeader,
    signatureHeader: headers.signatureHeader,
    rawBody,
    now: () => NOW,
  });

describe('webhook signatures', () => {
  it('accepts a request signed as documented: hex HMAC-SHA256 over "timestamp.body"', () => {
    const timestamp = String(NOW / 1000);
    const hex = createHmac('sha256', SECRET).update(`${timestamp}.${body}`).digest('hex');
    expect(verify({ timestampHeader: timestamp, signatureHeader: `sha256=${hex}` })).toEqual({
      ok: true,
      timestamp: NOW / 1000,
    });
    expect(verify({ timestampHeader: timestamp, signatureHeader: hex }).ok).toBe(true);
  });

  it('accepts timestamps up to 300 s either side', () => {
    expect(verify(signed(NOW / 1000 - 300)).ok).toBe(true);
    expect(verify(signed(NOW / 1000 + 300)).ok).toBe(true);
  });

  it('refuses a stale or future timestamp even when correctly signed', () => {
    expect(verify(signed(NOW / 1000 - 301))).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(verify(signed(NOW / 1000 + 301))).toEqual({ ok: false, reason: 'future_timestamp' });
  });

  it('refuses a forged signature, a wrong secret, and a body changed after signing', () => {
    const good = signed();
    const flipped = good.signatureHeader.slice(0, -1) + (good.signatureHeader.endsWith('0') ? '1' : '0');
    expect(verify({ ...good, signatureHeader: flipped })).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verify(signed(NOW / 1000, 'another-secret'))).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verify(good, Buffer.from('{"eventId":"evt-1","quotes":[1]}'))).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('refuses a re-timed request (the timestamp is signed too)', () => {
    const good = signed(NOW / 1000 - 10);
    expect(verify({ ...good, timestampHeader: String(NOW / 1000) })).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('refuses missing or malformed headers without throwing', () => {
    const good = signed();
    expect(verify({ signatureHeader: good.signatureHeader })).toEqual({
      ok: false,
      reason: 'missing_headers',
    });
    expect(verify({ timestampHeader: good.timestampHeader })).toEqual({
      ok: false,
      reason: 'missing_headers',
    });
    expect(verify({ ...good, timestampHeader: '1.7e9' })).toEqual({ ok: false, reason: 'bad_timestamp' });
    expect(verify({ ...good, signatureHeader: 'sha256=abc' })).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verify({ ...good, signatureHeader: `sha256=${'zz'.repeat(32)}` })).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });
});
