import { randomBytes } from 'node:crypto';
import { signWebhook, webhookConnector } from '@poshub/connector-webhook';
import { type CanonicalEvent, startConnector } from '@poshub/sdk';
import { canonicalFixtures } from '@poshub/sdk/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type StandardWebhooksReceiver,
  standardWebhookSignature,
  startStandardWebhooksReceiver,
} from './standard-webhooks-receiver.ts';

// The reference receiver is the provider the webhook connector's HTTP pact is verified against, so it must
// itself be right: it accepts what the connector (signing with the standardwebhooks library) sends.
const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const OTHER = `whsec_${randomBytes(32).toString('base64')}`;
const [sale] = canonicalFixtures() as [CanonicalEvent];
const attempt = { idempotencyKey: 'msg_2Lqz6kO0rQ', attempt: 1, signal: new AbortController().signal };

describe('the reference Standard Webhooks receiver', () => {
  let receiver: StandardWebhooksReceiver;
  beforeAll(async () => {
    receiver = await startStandardWebhooksReceiver({ secret: SECRET });
  });
  beforeEach(() => {
    receiver.mode = 'accepting';
  });
  afterAll(() => receiver.close());

  const deliver = (secrets: string[]) => {
    const started = startConnector(
      webhookConnector,
      { url: receiver.url, secrets },
      { log: { sink: () => {} } },
    );
    if (!started.ok) throw new Error(JSON.stringify(started.problems));
    return started.target.handle(sale, attempt);
  };

  it('signs like the standardwebhooks library', () => {
    const at = new Date(1_760_000_000_000);
    expect(standardWebhookSignature(SECRET, 'msg_1', 1_760_000_000, '{"a":1}')).toBe(
      signWebhook([SECRET], 'msg_1', at, '{"a":1}'),
    );
  });

  it('accepts what the webhook connector sends, also among the signatures of a rotation, once per id', async () => {
    expect(await deliver([SECRET])).toEqual({ ok: true });
    expect(await deliver([OTHER, SECRET])).toEqual({ ok: true });
    expect(receiver.received).toHaveLength(1);
    expect(JSON.parse(receiver.received[0]!.body)).toEqual(sale);
  });

  it('refuses a signature by another secret and a stale timestamp with 401', async () => {
    expect(await deliver([OTHER])).toMatchObject({
      ok: false,
      error: { type: 'http_401', retryable: false },
    });
    expect(receiver.refusals.at(-1)).toBe('no matching signature');
    const body = JSON.stringify(sale);
    const old = Math.floor(Date.now() / 1000) - 600;
    const res = await fetch(receiver.url, {
      method: 'POST',
      body,
      headers: {
        'webhook-id': 'msg_old',
        'webhook-timestamp': String(old),
        'webhook-signature': standardWebhookSignature(SECRET, 'msg_old', old, body),
      },
    });
    expect(res.status).toBe(401);
    expect(receiver.refusals.at(-1)).toBe('webhook-timestamp is too old or new');
  });

  it('answers 410 when removed and 429 with Retry-After when busy, as the connector expects', async () => {
    receiver.mode = 'gone';
    expect(await deliver([SECRET])).toMatchObject({ ok: false, error: { abort: true, type: 'http_410' } });
    receiver.mode = 'busy';
    expect(await deliver([SECRET])).toMatchObject({
      ok: false,
      error: { retryable: true, type: 'http_429', retryAfterMs: 30_000 },
    });
  });
});
