import { createHmac } from 'node:crypto';
import { signWebhook, verifyWebhookSignature } from './signature.js';

describe('webhook signatures', () => {
  const secret = 'shared-secret-0123456789';
  const body = '{"a":1}';
  const ts = '1790000000';

  it('is sha256=hex(HMAC-SHA256(secret, timestamp + "." + body))', () => {
    const expected = createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex');
    expect(signWebhook(secret, ts, body)).toBe(`sha256=${expected}`);
  });

  it('verifies within the tolerance and refuses outside it, tampering and malformed headers', () => {
    const header = signWebhook(secret, ts, body);
    const now = Number(ts);
    expect(verifyWebhookSignature(secret, ts, body, header, 300, now + 300)).toBe(true);
    expect(verifyWebhookSignature(secret, ts, body, header, 300, now - 300)).toBe(true);
    expect(verifyWebhookSignature(secret, ts, body, header, 300, now + 301)).toBe(false);
    expect(verifyWebhookSignature(secret, ts, `${body} `, header, 300, now)).toBe(false);
    expect(verifyWebhookSignature(secret, '1790000001', body, header, 300, now)).toBe(false);
    expect(verifyWebhookSignature('other-secret-0123456789', ts, body, header, 300, now)).toBe(false);
    expect(verifyWebhookSignature(secret, ts, body, header.replace('sha256=', 'sha1='), 300, now)).toBe(
      false,
    );
    expect(verifyWebhookSignature(secret, ts, body, header.slice(0, -2), 300, now)).toBe(false);
    expect(verifyWebhookSignature(secret, 'abc', body, header, 300, now)).toBe(false);
  });
});
