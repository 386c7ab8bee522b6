import type { InventoryCount, Timestamp } from '@poshub/model';
import { makeEvent } from '@poshub/model';
import { MapContext } from '../map-context.ts';
import type { NormalizedCandidate, NormalizeOptions } from '../normalizer.ts';
import { eventTime } from '../timestamp.ts';
import type { VendorJson } from '../vendor-json.ts';
import { asArray, asText, isObject } from '../vendor-json.ts';
import type { SquareWebhook } from './square-resources.ts';
import { squareSource } from './square-source.ts';

type Line = InventoryCount['lines'][number];

interface Group {
  location: string;
  at: Timestamp;
  lines: Line[];
  pointers: string[];
}

/**
 * Maps Square inventory counts (the `inventory.count.updated` webhook, or `counts` of a RetrieveInventoryCount
 * or BatchRetrieveInventoryCounts response) to counts: absolute quantities per catalog object and state, as
 * decimal text. Counts are grouped by location and calculation time, one event per group; a count that
 * cannot be read is refused on its own, the others still go through.
 */
export function mapSquareInventoryCounts(
  counts: VendorJson,
  at: string,
  options: NormalizeOptions,
  webhook?: SquareWebhook,
): NormalizedCandidate[] {
  const results: NormalizedCandidate[] = [];
  const groups = new Map<string, Group>();
  const entries = asArray(counts);
  if (entries.length === 0) {
    return [
      {
        ok: false,
        problems: [
          { code: 'field.missing', pointer: at, message: 'there are no inventory counts', severity: 'error' },
        ],
      },
    ];
  }
  for (const [i, entry] of entries.entries()) {
    const p = `${at}/${i}`;
    const ctx = new MapContext({ zone: options.timeZone });
    if (!isObject(entry)) {
      ctx.error('field.invalid', p, 'an inventory count must be an object');
      results.push({ ok: false, problems: ctx.problems, unit: p });
      continue;
    }
    const catalog = ctx.text(asText(entry.catalog_object_id), `${p}/catalog_object_id`, 'catalog object id');
    const location = ctx.text(asText(entry.location_id), `${p}/location_id`, 'location id');
    const quantity = ctx.decimal(entry.quantity, `${p}/quantity`);
    const calculated = ctx.timestamp(entry.calculated_at, `${p}/calculated_at`);
    if (ctx.failed || !catalog || !location || quantity === undefined || !calculated) {
      results.push({ ok: false, problems: ctx.problems, unit: p });
      continue;
    }
    const line: Line = { item: { ids: [{ scheme: 'square.catalog_object', value: catalog }] }, quantity };
    const state = asText(entry.state);
    if (state) line.state = state.toLowerCase();
    const key = `${location}|${calculated.raw}`;
    const group = groups.get(key) ?? { location, at: calculated, lines: [], pointers: [] };
    group.lines.push(line);
    group.pointers.push(p);
    groups.set(key, group);
  }
  for (const group of groups.values()) {
    const source = squareSource({}, [], [], webhook);
    source.ids.unshift({ scheme: 'square.location', value: group.location });
    source.timestamps.calculated_at = group.at.raw;
    const data: InventoryCount = {
      locationId: group.location,
      occurredAt: group.at,
      lines: group.lines,
      source,
    };
    const identity = [
      group.location,
      group.at.raw,
      ...group.lines.map((l) => `${l.item.ids[0]?.value}:${l.state ?? ''}`).sort(),
    ].join('|');
    data.reference = `square-inventory-count:${identity}`;
    const event = makeEvent('inventory.counted.v1', data, {
      source: `/square/stores/${group.location}`,
      subject: group.location,
      identity,
      time: eventTime(group.at),
    });
    results.push({ ok: true, event, warnings: [], unit: group.pointers.join(',') });
  }
  return results;
}
