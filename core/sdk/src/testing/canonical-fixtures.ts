import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CanonicalEvent } from '@poshub/model';

// The repository's canonical fixture (also used by normalizers, rules, dispatch and the demo).
const SALE = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'normalizers',
  'fixtures',
  'canonical',
  'sale-two-lines.json',
);

// biome-ignore lint/suspicious/noExplicitAny: fixtures are edited as plain JSON, then checked by the model
type Json = Record<string, any>;

/**
 * Canonical events for conformance checks, all valid by the model: the fixture sale
 * (`core/normalizers/fixtures/canonical/sale-two-lines.json`, store 0042), a return of its weighed line
 * the next day, linked to it, and the same sale at another store (0107).
 */
export function canonicalFixtures(): CanonicalEvent[] {
  const sale = JSON.parse(readFileSync(SALE, 'utf8')) as Json;

  const refund = structuredClone(sale);
  const apples = refund.data.lines[1];
  const minus = (m: Json) => ({ ...m, minor: -m.minor });
  const saleKey = sale.data.key;
  refund.id = 'c0nf0000-0000-4000-8000-000000000002';
  refund.type = 'return.completed.v1';
  refund.time = '2026-03-15T16:40:00Z';
  refund.data.kind = 'return';
  refund.data.key = { ...saleKey, workstationId: '05', businessDay: '2026-03-15', sequence: '17' };
  refund.data.receiptNumber = '0042-05-17';
  refund.data.occurredAt = {
    raw: '2026-03-15T09:40:00-07:00',
    local: '2026-03-15T09:40:00',
    offset: '-07:00',
    utc: '2026-03-15T16:40:00.000Z',
    source: 'explicit',
  };
  refund.data.lines = [
    {
      ...apples,
      lineNumber: '1',
      direction: 'return',
      quantity: `-${apples.quantity}`,
      extendedAmount: minus(apples.extendedAmount),
      originalLine: { kind: 'return', key: saleKey, lineNumber: '2' },
      restock: false,
      returnReason: 'damaged',
    },
  ];
  refund.data.tenders = [{ type: 'cash', amount: minus(apples.extendedAmount), purpose: 'refund' }];
  refund.data.total = minus(apples.extendedAmount);
  refund.data.stated = {};
  refund.data.links = [{ kind: 'return', key: saleKey }];
  refund.data.source = { ...sale.data.source, ids: [{ scheme: 'example.receipt', value: '0042-05-17' }] };

  const elsewhere = structuredClone(sale);
  elsewhere.id = 'c0nf0000-0000-4000-8000-000000000003';
  elsewhere.source = '/pos/stores/0107';
  elsewhere.subject = '0107';
  elsewhere.data.key = { ...saleKey, storeId: '0107', sequence: '0001' };
  elsewhere.data.receiptNumber = '0107-03-0001';

  return [sale, refund, elsewhere].map((e) => CanonicalEvent.parse(e) as CanonicalEvent);
}
