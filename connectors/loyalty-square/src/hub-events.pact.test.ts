import { describeHubEventsPact } from '@poshub/contracts/hub-events/describe-hub-events-pact.ts';
import { showcaseConfigs } from '@poshub/contracts/showcase-configs.ts';
import { loyaltyCallsOf } from './loyalty-calls.ts';
import { SquareLoyaltyConfig } from './square-loyalty-config.ts';

const config = SquareLoyaltyConfig.parse(
  showcaseConfigs({ square: 'https://connect.squareup.com' } as never, {} as never)['loyalty-square'],
);

// Points follow the total and the tenders (points paid with), which every transaction carries; a sale of
// someone who is not a member (no loyalty account, as in the recorded Shopify order) earns nothing.
describeHubEventsPact({
  connector: 'loyalty-square',
  types: ['sale.completed.v1', 'return.completed.v1'],
  consume(event) {
    const mapped = loyaltyCallsOf(event, config);
    if (!mapped.ok) throw new Error(`${mapped.type}: ${mapped.message}`);
  },
});
