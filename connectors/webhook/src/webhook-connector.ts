import { abort, classifyResponse, defineConnector, EVENT_TYPES } from '@poshub/sdk';
import { signWebhook } from './sign-webhook.ts';
import { WebhookConfig } from './webhook-config.ts';

/**
 * Delivers canonical events to an HTTPS endpoint, signed per Standard Webhooks: the body is the
 * CloudEvent as JSON, `webhook-id` is the event's idempotency key (the same on every retry and replay),
 * `webhook-signature` carries one signature per configured secret. 2xx is delivered; 410 Gone means the
 * receiver wants no more (dead-lettered at once); 408, 425, 429 and 5xx are retried after at least their
 * Retry-After; other answers are permanent. Redirects are not followed.
 */
export const webhookConnector = defineConnector({
  id: 'webhook',
  version: '0.1.0',
  coreCompat: '^0.1.0',
  role: 'webhook',
  capabilities: { idempotentWrites: true },
  config: WebhookConfig,
  subscribes: { types: EVENT_TYPES },
  // A little over the request's own limit, so the request's timeout is what ends a slow attempt.
  delivery: (config) => ({ timeoutMs: config.timeoutMs + 1_000 }),
  async handle(event, ctx) {
    const body = JSON.stringify(event);
    const timestamp = new Date(ctx.clock.now());
    const sent = await ctx.http.request({
      method: 'POST',
      url: ctx.config.url,
      body,
      timeoutMs: ctx.config.timeoutMs,
      headers: {
        ...ctx.config.headers,
        'content-type': 'application/cloudevents+json; charset=utf-8',
        'webhook-id': ctx.idempotencyKey,
        'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
        'webhook-signature': signWebhook(ctx.config.secrets, ctx.idempotencyKey, timestamp, body),
      },
    });
    if (!sent.ok) return sent;
    if (sent.response.status === 410) {
      return abort('http_410', `the receiver answered 410 Gone: it asks for no more deliveries`);
    }
    return classifyResponse(sent.response, { now: ctx.clock.now() });
  },
});
