import { createHash } from 'node:crypto';

/**
 * The idempotency key a connector passes to its target for one event: a UUID-shaped hash of connector and
 * event, the same on every attempt and replay, different per connector, and short enough for every vendor
 * we know (Square allows 45 characters, Stripe 255).
 */
export function idempotencyKeyFor(connectorId: string, eventId: string): string {
  const hex = createHash('sha256').update(`${connectorId}\u0000${eventId}`).digest('hex');
  // RFC 9562 version 8 (custom) with the RFC variant bits.
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
