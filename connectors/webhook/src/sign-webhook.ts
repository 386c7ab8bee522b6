import { Webhook } from 'standardwebhooks';

/**
 * The `webhook-signature` header for one message (Standard Webhooks, HMAC-SHA256): one `v1,<base64>`
 * signature per secret, space-separated, so a receiver holding either the old or the new secret of a
 * rotation accepts it. The signed content is `<id>.<unix seconds>.<body>`: sign exactly the bytes sent.
 */
export function signWebhook(secrets: readonly string[], id: string, timestamp: Date, body: string): string {
  return secrets.map((s) => new Webhook(s).sign(id, timestamp, body)).join(' ');
}
