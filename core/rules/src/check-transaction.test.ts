import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RetailTransaction } from '@poshub/model';
import { RetailTransaction as Schema } from '@poshub/model';
import { describe, expect, it } from 'vitest';
import { checkTransaction } from './check-transaction.ts';

const usd = (minor: number) => ({ minor, currency: 'USD', exponent: 2 });

async function sale(): Promise<RetailTransaction> {
  const doc = JSON.parse(
    await readFile(
      join(import.meta.dirname, '../../normalizers/fixtures/canonical/sale-two-lines.json'),
      'utf8',
    ),
  );
  return Schema.parse(doc.data);
}

function returnOf(t: RetailTransaction): RetailTransaction {
  const line = t.lines[1]!;
  return {
    ...t,
    kind: 'return',
    lines: [{ ...line, direction: 'return', quantity: '-0.42', extendedAmount: usd(-126) }],
    tenders: [{ ...t.tenders[1]!, amount: usd(-126), change: undefined, purpose: 'refund' }],
    total: usd(-126),
  };
}

describe('checkTransaction', () => {
  it('accepts a balanced sale and a balanced return', async () => {
    const t = await sale();
    expect(checkTransaction(t)).toEqual([]);
    expect(checkTransaction(returnOf(t))).toEqual([]);
  });

  it('refuses a return with sale-signed quantity and amount, pointing at each', async () => {
    const r = returnOf(await sale());
    r.lines[0] = { ...r.lines[0]!, quantity: '0.42', extendedAmount: usd(126) };
    const codes = checkTransaction(r).map((p) => `${p.code} ${p.pointer}`);
    expect(codes).toContain('sign.quantity /data/lines/0/quantity');
    expect(codes).toContain('sign.amount /data/lines/0/extendedAmount');
    expect(codes).toContain('totals.unbalanced /data/total');
  });

  it('asks for an exchange when a sale carries return lines', async () => {
    const t = await sale();
    const r = returnOf(t);
    const mixed = { ...t, lines: [...t.lines, ...r.lines], total: usd(t.total.minor - 126) };
    expect(checkTransaction(mixed).map((p) => p.code)).toContain('kind.mismatch');
    const exchange = {
      ...mixed,
      kind: 'exchange' as const,
      tenders: [{ ...t.tenders[0]!, amount: usd(mixed.total.minor) }],
    };
    expect(checkTransaction(exchange)).toEqual([]);
  });

  it('ignores voided lines in totals', async () => {
    const t = await sale();
    const voided = { ...t, lines: [...t.lines, { ...t.lines[1]!, lineNumber: '3', voided: true }] };
    expect(checkTransaction(voided)).toEqual([]);
  });

  it('allows cash rounding when it is recorded and names it when it is not', async () => {
    const t = await sale();
    const chf = (minor: number) => ({ minor, currency: 'CHF', exponent: 2 });
    const swiss: RetailTransaction = {
      ...t,
      currency: 'CHF',
      lines: [{ ...t.lines[1]!, unitPrice: undefined, extendedAmount: chf(126), taxes: [] }],
      tenders: [{ type: 'cash', amount: chf(125), purpose: 'payment', status: 'approved', ids: [] }],
      total: chf(126),
      stated: {},
    };
    expect(checkTransaction(swiss).map((p) => p.code)).toEqual(['totals.cash_rounding_unrecorded']);
    expect(checkTransaction({ ...swiss, cashRounding: chf(-1), total: chf(125) })).toEqual([]);
  });

  it('refuses amounts in another currency than the transaction', async () => {
    const t = await sale();
    t.tenders[0] = { ...t.tenders[0]!, amount: { minor: 1500, currency: 'EUR', exponent: 2 } };
    expect(checkTransaction(t)).toMatchObject([
      { code: 'currency.mismatch', pointer: '/data/tenders/0/amount' },
    ]);
  });
});
