import type { InventoryCount } from '@poshub/model';
import { makeEvent } from '@poshub/model';
import { MapContext } from '../map-context.ts';
import type { NormalizedCandidate, NormalizeOptions } from '../normalizer.ts';
import { eventTime } from '../timestamp.ts';
import type { VendorJson } from '../vendor-json.ts';
import { asText } from '../vendor-json.ts';
import { shopifySource } from './shopify-source.ts';

/**
 * Maps a Shopify inventory level to a count: `available` is the absolute level of one inventory item at one
 * location when `updated_at` was written, not a change.
 */
export function mapShopifyInventoryLevel(
  level: { [key: string]: VendorJson },
  at: string,
  options: NormalizeOptions,
): NormalizedCandidate {
  const ctx = new MapContext({ zone: options.timeZone });
  const item = ctx.text(asText(level.inventory_item_id), `${at}/inventory_item_id`, 'inventory item id');
  const location = ctx.text(asText(level.location_id), `${at}/location_id`, 'location id');
  const quantity =
    level.available === null
      ? ctx.error(
          'inventory.untracked',
          `${at}/available`,
          'the item is not tracked at this location (available is null)',
        )
      : ctx.decimal(level.available, `${at}/available`, 'available quantity');
  const occurredAt = ctx.timestamp(level.updated_at, `${at}/updated_at`);
  if (ctx.failed || !item || !location || quantity === undefined || !occurredAt)
    return { ok: false, problems: ctx.problems };
  const data: InventoryCount = {
    locationId: location,
    reference: `shopify-inventory-level:${item}:${location}:${occurredAt.utc ?? occurredAt.raw}`,
    occurredAt,
    lines: [
      { item: { ids: [{ scheme: 'shopify.inventory_item', value: item }] }, quantity, state: 'available' },
    ],
    source: shopifySource(
      level,
      [
        ['shopify.inventory_item', 'inventory_item_id'],
        ['shopify.location', 'location_id'],
      ],
      ['updated_at'],
    ),
  };
  const event = makeEvent('inventory.counted.v1', data, {
    source: `/shopify/stores/${location}`,
    subject: location,
    identity: data.reference ?? item,
    time: eventTime(occurredAt),
  });
  return { ok: true, event, warnings: ctx.warnings, unit: at || undefined };
}
