import { randomBytes } from 'node:crypto';
import { runConnectorConformance } from '@poshub/sdk/testing';
import { Webhook } from 'standardwebhooks';
import { webhookConnector } from './webhook-connector.ts';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const OLD_SECRET = `whsec_${randomBytes(24).toString('base64')}`;

runConnectorConformance({
  connector: webhookConnector,
  validConfig: ({ url }) => ({ url: `${url}/hooks/poshub`, secrets: [SECRET, OLD_SECRET], timeoutMs: 5_000 }),
  invalidConfigs: [
    { name: 'no URL', config: { secrets: [SECRET] }, path: '/config/url' },
    {
      name: 'plain http to a remote host',
      config: { url: 'http://hooks.example.test', secrets: [SECRET] },
      path: '/config/url',
      message: /https/,
    },
    {
      name: 'no secret',
      config: { url: 'https://hooks.example.test', secrets: [] },
      path: '/config/secrets',
    },
    {
      name: 'a secret not in whsec_ form',
      config: { url: 'https://hooks.example.test', secrets: ['hunter2-hunter2-hunter2'] },
      path: '/config/secrets/0',
    },
  ],
  // The kit's target is the receiver: it drops duplicates by webhook-id and refuses a bad signature.
  target: {
    idempotencyHeader: 'webhook-id',
    verify(call) {
      try {
        new Webhook(SECRET).verify(call.body, call.headers);
        return undefined;
      } catch (error) {
        return (error as Error).message;
      }
    },
  },
  expectRequests(event, calls) {
    if (calls[0]!.body !== JSON.stringify(event)) throw new Error('the body is not the CloudEvent as JSON');
  },
});
