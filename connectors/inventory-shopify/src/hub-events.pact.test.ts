import { MatchersV3 } from '@poshub/contracts/consumer-pact.ts';
import { describeHubEventsPact } from '@poshub/contracts/hub-events/describe-hub-events-pact.ts';
import { stockChangesOf } from './stock-changes.ts';

const { like } = MatchersV3;

// Stock moves by SKU: every line of a sale or return must name one (a line without is skipped and
// reported, never guessed). Whether a return is restocked is optional: the config decides when unsaid.
describeHubEventsPact({
  connector: 'inventory-shopify',
  types: ['sale.completed.v1', 'return.completed.v1'],
  relies: (example) => {
    const line = (example.data as { lines: Array<{ item: { sku: string } }> }).lines[0]!;
    return { line: { item: { sku: like(line.item.sku) } } };
  },
  consume(event) {
    const { change, skipped } = stockChangesOf(event, { restockWhenUnknown: true });
    if (!change) throw new Error(`no stock change: ${JSON.stringify(skipped)}`);
  },
});
