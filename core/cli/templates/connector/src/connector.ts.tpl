import { defineConnector, permanent } from '@poshub/sdk';
import { post{{System}}Sale } from './client.ts';
import { {{System}}Config } from './config.ts';
import { is{{System}}Event, to{{System}}Sale } from './mapper.ts';

/**
 * Delivers canonical sales and returns to {{System}} ({{role}}): each is mapped to {{System}}'s document and
 * posted with the event's idempotency key.
 */
export const {{systemCamel}}Connector = defineConnector({
  id: '{{name}}',
  version: '0.1.0',
  coreCompat: '^0.1.0',
  role: '{{role}}',
  capabilities: { idempotentWrites: true },
  config: {{System}}Config,
  subscribes: { types: ['sale.completed.v1', 'return.completed.v1'] },
  // A little over the request's own limit, so the request's timeout is what ends a slow attempt.
  delivery: (config) => ({ timeoutMs: config.timeoutMs + 1_000 }),
  async handle(event, ctx) {
    if (!is{{System}}Event(event)) {
      return permanent('unsupported_event', `{{name}} does not take ${event.type}`);
    }
    return post{{System}}Sale(to{{System}}Sale(event), ctx);
  },
});
