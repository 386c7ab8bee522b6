import type { ExternalId, SourceInfo } from '@poshub/model';
import type { VendorJson } from '../vendor-json.ts';
import { asText } from '../vendor-json.ts';

/** Source info of a Shopify resource: the ids under `shopify.<field>` schemes and the raw timestamps. */
export function shopifySource(
  resource: { [key: string]: VendorJson },
  ids: Array<[scheme: string, field: string]>,
  timestamps: string[],
): SourceInfo {
  const source: SourceInfo = { system: 'shopify', format: 'shopify-rest', ids: [], timestamps: {} };
  for (const [scheme, field] of ids) {
    const value = asText(resource[field]);
    if (value) source.ids.push({ scheme, value } satisfies ExternalId);
  }
  for (const field of timestamps) {
    const value = asText(resource[field]);
    if (value) source.timestamps[field] = value;
  }
  return source;
}
