import { MatchersV3 } from '@poshub/contracts/consumer-pact.ts';
import { describeHubEventsPact } from '@poshub/contracts/hub-events/describe-hub-events-pact.ts';
import { mapCashRecord } from './map-cash-record.ts';
import type { NetSuiteConfig } from './netsuite-config.ts';

const { like } = MatchersV3;

// The mapping reads only these settings; the rest of the config (account, OAuth2) is not involved.
const config = {
  subsidiaryId: '1',
  walkInCustomerId: '42',
  externalIdPrefix: 'poshub',
  locations: { '0042': '7', '0107': '9' },
} as unknown as NetSuiteConfig;

// A cash sale or refund references each item by its SKU (the item's external id in NetSuite).
describeHubEventsPact({
  connector: 'erp-netsuite',
  types: ['sale.completed.v1', 'return.completed.v1'],
  relies: (example) => {
    const line = (example.data as { lines: Array<{ item: { sku: string } }> }).lines[0]!;
    return { line: { item: { sku: like(line.item.sku) } } };
  },
  consume(event) {
    const mapped = mapCashRecord(event, config);
    if (!mapped.ok) throw new Error(`${mapped.problem.type}: ${mapped.problem.message}`);
  },
});
