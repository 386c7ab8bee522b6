import { CanonicalEvent } from '@poshub/model';
import { canonicalFixtures } from '@poshub/sdk/testing';

const source = { system: 'example-pos', format: 'canonical' };
const at = { raw: '2026-03-14T08:00:00Z', utc: '2026-03-14T08:00:00.000Z', source: 'explicit' };
const event = (id: string, type: string, data: Record<string, unknown>) =>
  CanonicalEvent.parse({
    specversion: '1.0',
    id,
    source: '/pos/stores/0042',
    subject: '0042',
    type,
    time: '2026-03-14T08:00:00Z',
    data: { occurredAt: at, source, ...data },
  }) as CanonicalEvent;

/**
 * The kit's canonical sale, and stock events written from the canonical model (no vendor sample covers
 * them): damage at store 0042, a transfer from the warehouse to 0042, a cycle count that finds none left.
 */
export function inventoryFixtures(): CanonicalEvent[] {
  const [sale] = canonicalFixtures();
  return [
    sale!,
    event('c0nf0000-0000-4000-8000-0000000000a1', 'inventory.adjusted.v1', {
      locationId: '0042',
      reason: 'damaged',
      lines: [{ item: { sku: 'TSHIRT-M-BLU' }, quantity: '-1' }],
    }),
    event('c0nf0000-0000-4000-8000-0000000000a2', 'inventory.transferred.v1', {
      fromLocationId: 'WH1',
      toLocationId: '0042',
      status: 'completed',
      lines: [{ item: { sku: 'TSHIRT-M-BLU' }, quantity: '12' }],
    }),
    event('c0nf0000-0000-4000-8000-0000000000a3', 'inventory.counted.v1', {
      locationId: '0042',
      lines: [{ item: { sku: 'TSHIRT-M-BLU' }, quantity: '0' }],
    }),
  ];
}
