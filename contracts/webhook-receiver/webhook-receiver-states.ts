import type { ReceiverMode } from './standard-webhooks-receiver.ts';

/** The provider states of the webhook receiver pact, by the receiver mode that sets each up. */
export const WEBHOOK_RECEIVER_STATES = {
  accepting: 'the receiver accepts events',
  gone: 'the endpoint was removed',
  busy: 'the receiver is busy',
} as const satisfies Record<ReceiverMode, string>;
