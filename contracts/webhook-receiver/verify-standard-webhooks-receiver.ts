import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Verifier } from '@pact-foundation/pact';
import { standardWebhookSignature, startStandardWebhooksReceiver } from './standard-webhooks-receiver.ts';
import { WEBHOOK_RECEIVER_STATES } from './webhook-receiver-states.ts';

/**
 * Verifies the webhook connector's HTTP pact against the reference Standard Webhooks receiver (written from
 * the spec, verifying signatures itself). A pact holds an example signature that no receiver could accept
 * (it was made at another time, with the pact's example secret), so each request is signed again with the
 * receiver's secret and the current time on its way in, as a verifier injects a fresh token: what is
 * verified is everything else the receiver needs (headers, their form, a CloudEvents body) and how it
 * answers in each state.
 */
export async function verifyStandardWebhooksReceiver(pactFile: string): Promise<void> {
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  const receiver = await startStandardWebhooksReceiver({ secret });
  const stateHandlers = Object.fromEntries(
    Object.entries(WEBHOOK_RECEIVER_STATES).map(([mode, state]) => [
      state,
      async () => {
        receiver.mode = mode as keyof typeof WEBHOOK_RECEIVER_STATES;
      },
    ]),
  );
  try {
    await new Verifier({
      provider: 'standard-webhooks-receiver',
      providerBaseUrl: receiver.origin,
      pactUrls: [pactFile],
      stateHandlers,
      logLevel: 'warn',
      requestFilter: (req: IncomingMessage & { body?: unknown }, _res: ServerResponse, next: () => void) => {
        const id = req.headers['webhook-id'];
        if (typeof id === 'string' && Buffer.isBuffer(req.body)) {
          const now = Math.floor(Date.now() / 1000);
          req.headers['webhook-timestamp'] = String(now);
          req.headers['webhook-signature'] = standardWebhookSignature(
            secret,
            id,
            now,
            req.body.toString('utf8'),
          );
        }
        next();
      },
    }).verifyProvider();
  } finally {
    await receiver.close();
  }
  if (receiver.refusals.length > 0) throw new Error(`the receiver refused: ${receiver.refusals.join('; ')}`);
}
