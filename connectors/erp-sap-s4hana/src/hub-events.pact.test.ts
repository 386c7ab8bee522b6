import { MatchersV3 } from '@poshub/contracts/consumer-pact.ts';
import { describeHubEventsPact } from '@poshub/contracts/hub-events/describe-hub-events-pact.ts';
import { showcaseConfigs } from '@poshub/contracts/showcase-configs.ts';
import { mapS4Document } from './map-s4-document.ts';
import { S4HanaConfig } from './s4hana-config.ts';

const { like } = MatchersV3;
const config = S4HanaConfig.parse({
  ...(showcaseConfigs({ s4hana: 'https://my123456-api.s4hana.cloud.sap' } as never, {} as never)[
    'erp-sap-s4hana'
  ] as object),
  plants: { '0042': '1010', '0107': '1020', '0001': '1030', '0003': '1040' },
});

// A sales order or customer return names each item's material by the line's SKU. The example stores are
// mapped; the stores of the recorded documents the check normalises are too.
describeHubEventsPact({
  connector: 'erp-sap-s4hana',
  types: ['sale.completed.v1', 'return.completed.v1'],
  relies: (example) => {
    const line = (example.data as { lines: Array<{ item: { sku: string } }> }).lines[0]!;
    return { line: { item: { sku: like(line.item.sku) } } };
  },
  consume(event) {
    const mapped = mapS4Document(event, { ...config, plants: { ...config.plants, [event.subject]: '1050' } });
    if (!mapped.ok) throw new Error(`${mapped.type}: ${mapped.message}`);
  },
});
