import { CanonicalEvent } from '@poshub/model';
import { canonicalFixtures } from '@poshub/sdk/testing';

/**
 * The kit's sale and return (the sale's customer is loyalty member LOY-778812; the return is linked to it
 * and bought by the same member), and a loyalty accrual the POS computed itself, written from the
 * canonical model (Square's AccumulateLoyaltyPointsResponse sample shows the Square side of one).
 */
export function loyaltyFixtures(): CanonicalEvent[] {
  const [sale, refund] = canonicalFixtures();
  const memberRefund = structuredClone(refund!) as CanonicalEvent & {
    data: { customer?: Record<string, unknown> };
  };
  memberRefund.data.customer = { loyaltyAccountId: 'LOY-778812' };
  const accrual = CanonicalEvent.parse({
    specversion: '1.0',
    id: 'c0nf0000-0000-4000-8000-0000000000b1',
    source: '/pos/stores/0042',
    subject: '0042',
    type: 'loyalty.accrued.v1',
    time: '2026-03-14T18:03:00Z',
    data: {
      kind: 'accrual',
      accountId: 'LOY-778812',
      points: 50,
      reason: 'double points weekend',
      occurredAt: { raw: '2026-03-14T18:03:00Z', utc: '2026-03-14T18:03:00.000Z', source: 'explicit' },
      source: { system: 'example-pos', format: 'canonical' },
    },
  }) as CanonicalEvent;
  return [sale!, CanonicalEvent.parse(memberRefund) as CanonicalEvent, accrual];
}
