import { httpsUrl, secret, z } from '@poshub/sdk';

const WHSEC = /^whsec_[A-Za-z0-9+/]+={0,2}$/;
// Set by the connector itself; a configured header must not override them.
const RESERVED = new Set([
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
  'content-type',
  'content-length',
  'host',
  'user-agent',
  'transfer-encoding',
  'connection',
]);

/** A Standard Webhooks signing secret: "whsec_" and 24 to 64 random bytes in base64. */
export const WebhookSecret = secret(
  z
    .string()
    .refine(
      (s) =>
        WHSEC.test(s) &&
        Buffer.from(s.slice(6), 'base64').length >= 24 &&
        Buffer.from(s.slice(6), 'base64').length <= 64,
      'must be "whsec_" followed by 24 to 64 random bytes in base64',
    ),
);

/**
 * The webhook connector's config: where to send, the signing secrets (newest first; during a rotation the
 * old and the new one, and every request carries a signature by each), the time limit, extra headers.
 */
export const WebhookConfig = z.strictObject({
  /** https, or http to 127.0.0.1 / localhost only. */
  url: httpsUrl(),
  secrets: z.array(WebhookSecret).min(1, 'needs at least one signing secret').max(5),
  /** Time limit of one request. */
  timeoutMs: z.number().int().min(100).max(60_000).default(15_000),
  /** Sent with every request (e.g. a receiver's own API key); values are treated as secrets. */
  headers: z
    .record(
      z
        .string()
        .regex(/^[A-Za-z0-9-]+$/, 'must be a header name')
        .refine(
          (name) => !RESERVED.has(name.toLowerCase()),
          'is set by the connector and cannot be configured',
        ),
      secret(z.string()),
    )
    .optional(),
});
export type WebhookConfig = z.output<typeof WebhookConfig>;
