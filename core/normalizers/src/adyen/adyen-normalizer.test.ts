import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PaymentRecord } from '@poshub/model';
import { describe, expect, it } from 'vitest';
import { normalizeText } from '../normalize-document.ts';
import { looksLikeTerminalResponse } from './adyen-normalizer.ts';

// biome-ignore lint/suspicious/noExplicitAny: vendor documents are read and edited freely in these tests
type Json = Record<string, any>;
const fixture = (name: string) => readFile(join(import.meta.dirname, '..', '..', 'fixtures', name), 'utf8');
const response = async (name: string): Promise<Json> => JSON.parse(await fixture(`adyen/${name}`));
const record = (result: { events: Array<{ data: unknown }> }) => result.events[0]!.data as PaymentRecord;
const SUCCESS = 'terminal-api_payment-sync-success.json';
/** Replaces one key of the form-encoded AdditionalResponse. */
function withAdditional(doc: Json, key: string, value: string | undefined): Json {
  const result = doc.SaleToPOIResponse.PaymentResponse.Response;
  const pairs = new URLSearchParams(result.AdditionalResponse);
  if (value === undefined) pairs.delete(key);
  else pairs.set(key, value);
  result.AdditionalResponse = pairs.toString();
  return doc;
}

describe('adyen detection', () => {
  it('claims Terminal API responses and nothing else', async () => {
    for (const name of [
      SUCCESS,
      'terminal-api_payment-declined.json',
      'terminal-api_refund-unreferenced.json',
    ]) {
      expect((await normalizeText(await fixture(`adyen/${name}`))).format).toBe('adyen');
    }
    for (const name of [
      'lightspeed-r/sale-return.json',
      'lightspeed-x/return-full.json',
      'canonical/sale-two-lines.json',
    ]) {
      expect(looksLikeTerminalResponse(await fixture(name))).toBe(false);
    }
  });
});

describe('adyen payment response (vendor sample)', () => {
  it('records an approved card payment, reading the amount in major and minor units alike', async () => {
    const text = await fixture(`adyen/${SUCCESS}`);
    const result = await normalizeText(text, { storeId: 'store-1' });
    expect(result.problems).toEqual([]);
    expect(result.events.map((e) => e.type)).toEqual(['payment.recorded.v1']);
    const payment = record(result);
    const doc = JSON.parse(text).SaleToPOIResponse.PaymentResponse;
    // AuthorizedAmount 1 (EUR) and authorisedAmountValue=100 (cents) are the same amount.
    expect(payment.tender.amount).toEqual({ minor: 100, currency: 'EUR', exponent: 2 });
    expect(payment.tender.amount.minor).toBe(
      Number(new URLSearchParams(doc.Response.AdditionalResponse).get('authorisedAmountValue')),
    );
    expect(payment).toMatchObject({
      paymentId: '8515565295894301',
      kind: 'payment',
      storeId: 'store-1',
      tender: {
        type: 'card',
        status: 'approved',
        purpose: 'payment',
        sourceType: 'mc',
        card: {
          brand: 'mastercard',
          last4: '1111',
          entryMethod: 'Tapped',
          authorizationCode: '123456',
          pspReference: '8515565295894301',
        },
      },
      transactionIds: [
        { scheme: 'adyen.SaleTransactionID', value: '001' },
        { scheme: 'adyen.merchantReference', value: '003' },
      ],
      occurredAt: { utc: '2019-04-29T00:00:00.000Z' },
    });
    expect(payment.tender.ids).toEqual(
      expect.arrayContaining([
        { scheme: 'adyen.POITransactionID', value: '4r7i001556529591000.8515565295894301' },
        { scheme: 'adyen.tenderReference', value: '4r7i001556529591000' },
      ]),
    );
    expect(result.events[0]).toMatchObject({ subject: 'store-1', source: '/adyen/stores/store-1' });
  });

  it('says where the sample disagrees with itself: last four, references, currency conversion', async () => {
    const result = await normalizeText(await fixture(`adyen/${SUCCESS}`));
    expect(result.warnings.map((w) => w.code)).toEqual([
      'adyen.last4_differs',
      'adyen.currency_conversion',
      'adyen.reference_differs',
      'store.missing',
    ]);
    expect(result.events[0]).toMatchObject({ subject: 'P400Plus-123456789' });
  });

  it('keeps no more of the card than brand and last four', async () => {
    const result = await normalizeText(await fixture(`adyen/${SUCCESS}`));
    const json = JSON.stringify(result.events);
    for (const secret of ['541333', '411111', 'M900978995070104', '12/2025', '1225']) {
      expect(json).not.toContain(secret);
    }
  });
});

describe('adyen declined and refund responses', () => {
  it('records a refused payment as declined, for the amount asked', async () => {
    const result = await normalizeText(await fixture('adyen/terminal-api_payment-declined.json'));
    expect(result.problems).toEqual([]);
    expect(record(result)).toMatchObject({
      paymentId: 'QK7RZ2M4TD5VFN83',
      kind: 'payment',
      tender: {
        status: 'declined',
        amount: { minor: 4599, currency: 'EUR' },
        card: { brand: 'visa', last4: '0010' },
      },
      transactionIds: [{ scheme: 'adyen.SaleTransactionID', value: 'RM07-4412' }],
    });
    expect(result.warnings).toContainEqual(
      expect.objectContaining({ code: 'adyen.declined', message: 'declined: Refusal (Not enough balance)' }),
    );
  });

  it('records an unreferenced refund as money out', async () => {
    const result = await normalizeText(await fixture('adyen/terminal-api_refund-unreferenced.json'), {
      storeId: 'rome-07',
    });
    expect(result.problems).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(record(result)).toMatchObject({
      paymentId: 'VD3WLH8M2XQ6BK51',
      kind: 'refund',
      tender: {
        type: 'card',
        purpose: 'refund',
        status: 'approved',
        amount: { minor: -3550, currency: 'EUR', exponent: 2 },
        card: { brand: 'mastercard', last4: '4444', funding: 'debit', authorizationCode: '087231' },
      },
      transactionIds: [{ scheme: 'adyen.SaleTransactionID', value: 'RM07-4488' }],
    });
  });

  it('marks a payment approved offline as pending, and reads a partial approval', async () => {
    const offline = withAdditional(await response(SUCCESS), 'offline', 'true');
    expect(record(await normalizeText(JSON.stringify(offline))).tender.status).toBe('offline_pending');
    const partial = await response(SUCCESS);
    partial.SaleToPOIResponse.PaymentResponse.Response.Result = 'Partial';
    expect(record(await normalizeText(JSON.stringify(partial))).tender.status).toBe('approved');
  });

  it('reads an AdditionalResponse sent as Base64 JSON', async () => {
    const doc = await response(SUCCESS);
    const pairs = Object.fromEntries(
      new URLSearchParams(doc.SaleToPOIResponse.PaymentResponse.Response.AdditionalResponse),
    );
    doc.SaleToPOIResponse.PaymentResponse.Response.AdditionalResponse = Buffer.from(
      JSON.stringify({ additionalData: pairs, message: 'approved' }),
    ).toString('base64');
    const result = await normalizeText(JSON.stringify(doc));
    expect(result.problems).toEqual([]);
    expect(record(result).tender.amount.minor).toBe(100);
    expect(result.warnings.map((w) => w.code)).toContain('adyen.last4_differs');
  });
});

describe('adyen bad input', () => {
  it('refuses major and minor amounts that disagree', async () => {
    const doc = withAdditional(await response(SUCCESS), 'authorisedAmountValue', '1000');
    const result = await normalizeText(JSON.stringify(doc));
    expect(result.events).toEqual([]);
    expect(result.problems).toMatchObject([
      {
        code: 'adyen.amount_mismatch',
        pointer: '/SaleToPOIResponse/PaymentResponse/PaymentResult/AmountsResp/AuthorizedAmount',
      },
    ]);
  });

  it('refuses money written with a decimal comma and an unknown currency', async () => {
    const comma = await response(SUCCESS);
    comma.SaleToPOIResponse.PaymentResponse.PaymentResult.AmountsResp.AuthorizedAmount = '1,00';
    expect((await normalizeText(JSON.stringify(comma))).problems).toMatchObject([
      { code: 'money.not_a_number' },
    ]);
    const currency = await response(SUCCESS);
    currency.SaleToPOIResponse.PaymentResponse.PaymentResult.AmountsResp.Currency = 'ABC';
    expect((await normalizeText(JSON.stringify(currency))).problems).toMatchObject([
      {
        code: 'currency.unknown',
        pointer: '/SaleToPOIResponse/PaymentResponse/PaymentResult/AmountsResp/Currency',
      },
    ]);
  });

  it('refuses a payment with no id and no time', async () => {
    const doc = withAdditional(await response(SUCCESS), 'pspReference', undefined);
    delete doc.SaleToPOIResponse.PaymentResponse.POIData;
    delete doc.SaleToPOIResponse.PaymentResponse.SaleData;
    const result = await normalizeText(JSON.stringify(doc));
    expect(result.problems.map((p) => p.code)).toEqual(['field.missing', 'time.missing']);
  });

  it('refuses a malformed timestamp', async () => {
    const doc = await response(SUCCESS);
    doc.SaleToPOIResponse.PaymentResponse.POIData.POITransactionID.TimeStamp = '2019-04-31T00:00:00.000Z';
    expect((await normalizeText(JSON.stringify(doc))).problems).toMatchObject([
      {
        code: 'time.invalid',
        pointer: '/SaleToPOIResponse/PaymentResponse/POIData/POITransactionID/TimeStamp',
      },
    ]);
  });

  it('refuses a full card number, plain or percent-encoded, without echoing it', async () => {
    const plain = await response(SUCCESS);
    plain.SaleToPOIResponse.PaymentResponse.PaymentResult.PaymentInstrumentData.CardData.MaskedPan =
      '5413330089010434';
    const refused = await normalizeText(JSON.stringify(plain));
    expect(refused.problems).toMatchObject([{ code: 'card.full_number' }]);
    const encoded = await response(SUCCESS);
    encoded.SaleToPOIResponse.PaymentResponse.Response.AdditionalResponse +=
      '&cardNumber=%35%34%31%33%33%33%30%30%38%39%30%31%30%34%33%34';
    const hidden = await normalizeText(JSON.stringify(encoded));
    expect(hidden.problems).toMatchObject([
      { code: 'card.full_number', pointer: '/SaleToPOIResponse/PaymentResponse/Response/AdditionalResponse' },
    ]);
    for (const result of [refused, hidden]) {
      expect(result.events).toEqual([]);
      expect(JSON.stringify(result.problems)).not.toContain('5413330089010434');
    }
  });

  it('says plainly that other Terminal API responses are not payments', async () => {
    const result = await normalizeText(
      JSON.stringify({
        SaleToPOIResponse: { MessageHeader: {}, ReversalResponse: { Response: { Result: 'Success' } } },
      }),
    );
    expect(result.problems).toMatchObject([
      { code: 'adyen.unsupported_message', pointer: '/SaleToPOIResponse/ReversalResponse' },
    ]);
  });
});
