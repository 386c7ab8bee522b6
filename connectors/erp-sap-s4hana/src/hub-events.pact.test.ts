import { MatchersV3 } from '@poshub/contracts/consumer-pact.ts';
import { describeHubEventsPact } from '@poshub/contracts/hub-events/describe-hub-events-pact.ts';
import { showcaseConfigs } from '@poshub/contracts/showcase-configs.ts';
import { mapS4Document } from './map-s4-document.ts';
import { S4HanaConfig } from './s4hana-config.ts';

const { like } = MatchersV3;
const config = S4HanaConfig.parse(
  showcaseConfigs({ s4hana: 'https://my123456-api.s4hana.cloud.sap' } as never, {} as never)[
    'erp-sap-s4hana'
  ],
);

// A sales order or customer return names each item's material by the line's SKU (a line without one is
// refused); the return's link to its sale only fills in the original order when present.
describeHubEventsPact({
  connector: 'erp-sap-s4hana',
  types: ['sale.completed.v1', 'return.completed.v1'],
  relies: (example) => {
    const line = (example.data as { lines: Array<{ item: { sku: string } }> }).lines[0]!;
    return { line: { item: { sku: like(line.item.sku) } } };
  },
  consume(event) {
    const mapped = mapS4Document(event, config);
    if (!mapped.ok) throw new Error(`${mapped.type}: ${mapped.message}`);
  },
});
