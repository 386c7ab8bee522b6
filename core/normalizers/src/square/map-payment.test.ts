import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PaymentRecord } from '@poshub/model';
import { describe, expect, it } from 'vitest';
import { normalizeText } from '../normalize-document.ts';

const fixture = (name: string) =>
  readFile(join(import.meta.dirname, '..', '..', 'fixtures', 'square', name), 'utf8');
const record = (result: Awaited<ReturnType<typeof normalizeText>>) => result.events[0]?.data as PaymentRecord;

describe('Square payment', () => {
  it('is a payment record for its order: card brand and last four only', async () => {
    const result = await normalizeText(await fixture('CreatePaymentResponse.example.json'));
    expect(result.problems).toEqual([]);
    expect(result.events[0]?.type).toBe('payment.recorded.v1');
    const payment = record(result);
    expect(payment).toMatchObject({
      paymentId: 'R2B3Z8WMVt3EAmzYWLZvz7Y69EbZY',
      kind: 'payment',
      storeId: 'L88917AVBK2S5',
    });
    expect(payment.transactionIds).toEqual([
      { scheme: 'square.order', value: 'pRsjRTgFWATl7so6DxdKBJa7ssbZY' },
    ]);
    expect(payment.tender).toMatchObject({
      type: 'card',
      amount: { minor: 1000, currency: 'USD', exponent: 2 },
      status: 'approved',
      card: {
        brand: 'VISA',
        last4: '1111',
        funding: 'debit',
        entryMethod: 'ON_FILE',
        authorizationCode: 'vNEn2f',
      },
    });
    const text = JSON.stringify(result.events);
    for (const kept of ['411111', 'fingerprint', 'exp_year', 'Hxim77tbd']) expect(text).not.toContain(kept);
  });

  it('is pending while only authorised, offline pending when taken offline, declined when canceled', async () => {
    const doc = JSON.parse(await fixture('CreatePaymentResponse.example.json'));
    doc.payment.status = 'APPROVED';
    expect(record(await normalizeText(JSON.stringify(doc))).tender.status).toBe('pending');
    doc.payment.is_offline_payment = true;
    expect(record(await normalizeText(JSON.stringify(doc))).tender.status).toBe('offline_pending');
    doc.payment.status = 'CANCELED';
    expect(record(await normalizeText(JSON.stringify(doc))).tender.status).toBe('declined');
  });

  it('gives each state of a payment its own event, and reads the payment.updated webhook', async () => {
    const doc = JSON.parse(await fixture('CreatePaymentResponse.example.json'));
    const completed = await normalizeText(JSON.stringify(doc));
    const webhook = {
      merchant_id: '6SSW7HV8K2ST5',
      type: 'payment.updated',
      event_id: 'b0e5d3a1-93c3-4c8a-a4e4-6a2f4b5c0d11',
      created_at: '2021-10-13T21:14:31Z',
      data: { type: 'payment', id: doc.payment.id, object: { payment: doc.payment } },
    };
    const viaWebhook = await normalizeText(JSON.stringify(webhook));
    expect(viaWebhook.format).toBe('square');
    expect(viaWebhook.events[0]?.id).toBe(completed.events[0]?.id);
    doc.payment.status = 'APPROVED';
    doc.payment.updated_at = '2021-10-13T21:14:29.900Z';
    expect((await normalizeText(JSON.stringify(doc))).events[0]?.id).not.toBe(completed.events[0]?.id);
  });

  it('keeps cash handed over and change apart', async () => {
    const doc = JSON.parse(await fixture('CreatePaymentResponse.example.json'));
    delete doc.payment.card_details;
    doc.payment.source_type = 'CASH';
    doc.payment.cash_details = {
      buyer_supplied_money: { amount: 2000, currency: 'USD' },
      change_back_money: { amount: 1000, currency: 'USD' },
    };
    const tender = record(await normalizeText(JSON.stringify(doc))).tender;
    expect(tender).toMatchObject({ type: 'cash', amount: { minor: 2000 }, change: { minor: 1000 } });
  });

  it('refuses a payment in an unknown currency, or without id', async () => {
    const doc = JSON.parse(await fixture('CreatePaymentResponse.example.json'));
    doc.payment.total_money.currency = 'ABC';
    expect((await normalizeText(JSON.stringify(doc))).problems).toMatchObject([
      { code: 'currency.unknown', pointer: '/payment/total_money/currency' },
    ]);
    const noId = JSON.parse(await fixture('CreatePaymentResponse.example.json'));
    delete noId.payment.id;
    expect((await normalizeText(JSON.stringify(noId))).problems).toMatchObject([
      { code: 'field.missing', pointer: '/payment/id' },
    ]);
  });
});
