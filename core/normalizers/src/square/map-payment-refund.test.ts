import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PaymentRecord } from '@poshub/model';
import { describe, expect, it } from 'vitest';
import { normalizeText } from '../normalize-document.ts';

const fixture = () =>
  readFile(
    join(import.meta.dirname, '..', '..', 'fixtures', 'square', 'RefundPaymentResponse.example.json'),
    'utf8',
  );
const record = (result: Awaited<ReturnType<typeof normalizeText>>) => result.events[0]?.data as PaymentRecord;

describe('Square payment refund', () => {
  it('is a pending refund record: money out, linked to its payment and order', async () => {
    const result = await normalizeText(await fixture());
    expect(result.problems).toEqual([]);
    expect(result.events[0]?.type).toBe('payment.recorded.v1');
    const refund = record(result);
    expect(refund.kind).toBe('refund');
    expect(refund.tender).toMatchObject({
      amount: { minor: -1000, currency: 'USD', exponent: 2 },
      purpose: 'refund',
      status: 'pending',
    });
    expect(refund.transactionIds).toEqual([
      { scheme: 'square.order', value: '1JLEUZeEooAIX8HMqm9kvWd69aQZY' },
      { scheme: 'square.payment', value: 'R2B3Z8WMVt3EAmzYWLZvz7Y69EbZY' },
    ]);
  });

  it('follows the refund status: COMPLETED approved, REJECTED and FAILED declined', async () => {
    const doc = JSON.parse(await fixture());
    const statuses: Record<string, string> = {
      COMPLETED: 'approved',
      REJECTED: 'declined',
      FAILED: 'declined',
    };
    for (const [status, expected] of Object.entries(statuses)) {
      doc.refund.status = status;
      expect(record(await normalizeText(JSON.stringify(doc))).tender.status).toBe(expected);
    }
  });

  it('takes the tender type from the destination when Square gives one', async () => {
    const doc = JSON.parse(await fixture());
    doc.refund.destination_type = 'CARD';
    doc.refund.destination_details = {
      card_details: { card: { card_brand: 'VISA', last_4: '1111' }, entry_method: 'KEYED' },
    };
    const tender = record(await normalizeText(JSON.stringify(doc))).tender;
    expect(tender).toMatchObject({
      type: 'card',
      card: { brand: 'VISA', last4: '1111', entryMethod: 'KEYED' },
    });
  });

  it('refuses a refund amount that is not minor units', async () => {
    const doc = JSON.parse(await fixture());
    doc.refund.amount_money.amount = '10.00';
    expect((await normalizeText(JSON.stringify(doc))).problems).toMatchObject([
      { code: 'money.not_a_number', pointer: '/refund/amount_money/amount' },
    ]);
  });
});
