import { describeHubEventsPact } from '@poshub/contracts/hub-events/describe-hub-events-pact.ts';
import { orderActionsFor } from './order-actions.ts';
import { ctOrder } from './order-fixtures.ts';

// An online order's update is found by its number and acted on by fulfilment and status: those three are
// what the connector relies on (the lines only for a return in store, the time only for its return date).
// A status the connector does not act on (the recorded Square update: open, fulfilment unknown) plans no
// action, which is not a refusal.
describeHubEventsPact({
  connector: 'oms-commercetools',
  types: ['order.updated.v1'],
  consume(event) {
    const planned = orderActionsFor(event, ctOrder('WEB-10077'), { completeOnPickup: true });
    if (!planned.ok) throw new Error(`${planned.problem.type}: ${planned.problem.message}`);
    if (planned.actions.length === 0) throw new Error('a pickup at the till planned no update of the order');
  },
});
