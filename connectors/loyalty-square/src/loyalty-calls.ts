import type { CanonicalEvent } from '@poshub/sdk';
import type { SquareLoyaltyConfig } from './square-loyalty-config.ts';

/** One Square Loyalty call, with the suffix that makes its idempotency key unique within the event. */
export interface LoyaltyCall {
  path: string;
  suffix: 'accrue' | 'redeem' | 'reverse' | 'adjust';
  body: Record<string, unknown>;
}

interface Money {
  minor: number;
  exponent: number;
}
interface Transaction {
  key: { storeId: string; workstationId: string; businessDay: string; sequence: string };
  total: Money;
  tenders: Array<{ type: string; amount: Money; status?: string }>;
  customer?: { loyaltyAccountId?: string };
}
interface Loyalty {
  kind: 'accrual' | 'redemption' | 'adjustment';
  accountId: string;
  points: number;
  reason?: string;
  transaction?: { key?: { storeId?: string } };
}

const units = (m: Money) => m.minor / 10 ** m.exponent;
const account = (id: string) => `/v2/loyalty/accounts/${encodeURIComponent(id)}`;

/**
 * Pure: the Square Loyalty calls an event makes, or a problem. A sale of a loyalty member accrues
 * floor(spend not paid with points / spendPerPoint) points, and the part paid with points takes
 * amount / pointValue points off; a return takes off the points its refund earned; loyalty events the POS
 * computed itself are passed on as they are (accrual as accumulate, the others as adjustments).
 */
export function loyaltyCallsOf(
  event: CanonicalEvent,
  config: SquareLoyaltyConfig,
): { ok: true; calls: LoyaltyCall[] } | { ok: false; type: string; message: string } {
  if (event.type.startsWith('loyalty.')) {
    const l = event.data as unknown as Loyalty;
    const store = l.transaction?.key?.storeId ?? event.subject;
    if (l.kind === 'accrual') {
      const location = config.locations[store];
      if (!location)
        return {
          ok: false,
          type: 'unmapped_store',
          message: `store ${store} has no Square location in the config`,
        };
      return {
        ok: true,
        calls: [
          {
            path: `${account(l.accountId)}/accumulate`,
            suffix: 'accrue',
            body: { accumulate_points: { points: l.points }, location_id: location },
          },
        ],
      };
    }
    return {
      ok: true,
      calls: [
        {
          path: `${account(l.accountId)}/adjust`,
          suffix: 'adjust',
          body: { adjust_points: { points: l.points, reason: l.reason ?? `POS ${l.kind}` } },
        },
      ],
    };
  }
  const tx = event.data as unknown as Transaction;
  const member = tx.customer?.loyaltyAccountId;
  if (!member) return { ok: true, calls: [] };
  const location = config.locations[tx.key.storeId];
  if (!location)
    return {
      ok: false,
      type: 'unmapped_store',
      message: `store ${tx.key.storeId} has no Square location in the config`,
    };
  const where = `${tx.key.storeId}/${tx.key.workstationId}/${tx.key.businessDay}/${tx.key.sequence}`;
  const paidWithPoints = tx.tenders
    .filter((t) => t.type === 'loyalty_points' && (t.status ?? 'approved') === 'approved')
    .reduce((sum, t) => sum + units(t.amount), 0);
  const spend = Math.abs(units(tx.total)) - Math.abs(paidWithPoints);
  const earned = Math.floor(Math.max(0, spend) / Number(config.spendPerPoint) + 1e-9);
  const calls: LoyaltyCall[] = [];
  if (event.type === 'sale.completed.v1') {
    if (paidWithPoints > 0) {
      calls.push({
        path: `${account(member)}/adjust`,
        suffix: 'redeem',
        body: {
          adjust_points: {
            points: -Math.round(paidWithPoints / Number(config.pointValue)),
            reason: `Paid with points at POS ${where}`,
          },
        },
      });
    }
    if (earned > 0) {
      calls.push({
        path: `${account(member)}/accumulate`,
        suffix: 'accrue',
        body: { accumulate_points: { points: earned }, location_id: location },
      });
    }
  } else if (earned > 0) {
    calls.push({
      path: `${account(member)}/adjust`,
      suffix: 'reverse',
      body: {
        adjust_points: { points: -earned, reason: `POS return ${where}` },
        allow_negative_balance: true,
      },
    });
  }
  return { ok: true, calls };
}
