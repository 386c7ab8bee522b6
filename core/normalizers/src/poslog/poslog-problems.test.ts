import type { RetailTransaction } from '@poshub/model';
import { describe, expect, it } from 'vitest';
import { normalizeText } from '../normalize-document.ts';

const NS = 'http://www.nrf-arts.org/IXRetail/namespace/';

interface TxnOptions {
  sequence?: string | null;
  currency?: string | null;
  attrs?: string;
  header?: string;
  body?: string;
  total?: string | null;
  status?: string;
}

const SALE_LINES = `
  <LineItem><SequenceNumber>1</SequenceNumber>
    <Sale><ItemID>100234</ItemID><Description>WATER BOTTLE</Description>
      <ExtendedAmount>19.99</ExtendedAmount><Quantity>1</Quantity></Sale></LineItem>
  <LineItem><SequenceNumber>2</SequenceNumber>
    <Tender TenderType="Cash" TypeCode="Sale"><Amount>19.99</Amount></Tender></LineItem>`;

/** One POSLog Transaction with sensible defaults, overridable piece by piece. */
function txn(o: TxnOptions = {}): string {
  const sequence =
    o.sequence === undefined
      ? '<SequenceNumber>1</SequenceNumber>'
      : o.sequence === null
        ? ''
        : `<SequenceNumber>${o.sequence}</SequenceNumber>`;
  const currency =
    o.currency === undefined
      ? '<CurrencyCode>USD</CurrencyCode>'
      : o.currency === null
        ? ''
        : `<CurrencyCode>${o.currency}</CurrencyCode>`;
  const total =
    o.total === null ? '' : `<Total TotalType="TransactionGrandAmount">${o.total ?? '19.99'}</Total>`;
  return `<Transaction${o.attrs ?? ''}><RetailStoreID>12</RetailStoreID><WorkstationID>3</WorkstationID>${sequence}
    <BusinessDayDate>2024-03-15</BusinessDayDate><EndDateTime>2024-03-15T10:00:00</EndDateTime>${currency}${o.header ?? ''}
    <RetailTransaction${o.status ?? ''}>${o.body ?? SALE_LINES}${total}</RetailTransaction></Transaction>`;
}

const doc = (...transactions: string[]) =>
  `<?xml version="1.0"?>\n<POSLog xmlns="${NS}">\n${transactions.join('\n')}\n</POSLog>`;

function retail(data: unknown): RetailTransaction {
  return data as RetailTransaction;
}

describe('POSLog bad input', () => {
  it('malformed XML: a clear xml.invalid with line and column; transactions before it still go through', async () => {
    const broken = txn({
      sequence: '2',
      body: '<LineItem><SequenceNumber>1</SequenceNumber><Sale><ItemID>1</ItemID></LineItem>',
    });
    const text = doc(txn(), broken, txn({ sequence: '3' }));
    const line = text.slice(0, text.indexOf('<ItemID>1</ItemID></LineItem>')).split('\n').length;
    const result = await normalizeText(text);
    expect(result.events).toHaveLength(1);
    expect(result.problems).toHaveLength(1);
    const [problem] = result.problems;
    expect(problem?.code).toBe('xml.invalid');
    expect(problem?.message).toMatch(new RegExp(`^not well-formed XML at line ${line}, column \\d+: `));
    expect(problem?.pointer).toBe('/POSLog/Transaction/1/RetailTransaction/LineItem/0');
  });

  it('truncated document and text that is not XML at all are refused, never a crash', async () => {
    const truncated = await normalizeText(doc(txn(), txn({ sequence: '2' })).slice(0, -40), {
      format: 'poslog',
    });
    expect(truncated.events).toHaveLength(1);
    expect(truncated.problems).toMatchObject([{ code: 'xml.invalid' }]);
    const garbage = await normalizeText('this is not XML', { format: 'poslog' });
    expect(garbage.events).toEqual([]);
    expect(garbage.problems).toMatchObject([{ code: 'xml.invalid' }]);
  });

  it('money written "1,23" is refused with a pointer to the element; the next transaction is fine', async () => {
    const comma = txn({
      body: `<LineItem><SequenceNumber>1</SequenceNumber><Sale><ItemID>1</ItemID><ExtendedAmount>1,23</ExtendedAmount></Sale></LineItem>`,
      total: '1,23',
    });
    const result = await normalizeText(doc(comma, txn({ sequence: '2' })));
    expect(result.events).toHaveLength(1);
    expect(result.problems.map((p) => [p.code, p.pointer])).toEqual([
      ['money.not_a_number', '/POSLog/Transaction/0/RetailTransaction/LineItem/0/Sale/ExtendedAmount'],
      ['money.not_a_number', '/POSLog/Transaction/0/RetailTransaction/Total/0'],
    ]);
  });

  it('a missing sequence number is a problem at the element it should be', async () => {
    const result = await normalizeText(doc(txn({ sequence: null })));
    expect(result.events).toEqual([]);
    expect(result.problems).toMatchObject([
      { code: 'field.missing', pointer: '/POSLog/Transaction/0/SequenceNumber' },
    ]);
  });

  it('a full card number in a text node refuses that transaction alone, without echoing the number', async () => {
    const pan = txn({
      sequence: '7',
      body: `<LineItem><SequenceNumber>1</SequenceNumber><Sale><ItemID>1</ItemID><ExtendedAmount>19.99</ExtendedAmount></Sale></LineItem>
        <LineItem><SequenceNumber>2</SequenceNumber><Tender TenderType="CreditDebit"><Amount>19.99</Amount>
          <CreditDebit CardType="Credit"><PrimaryAccountNumber>4111 1111 1111 1111</PrimaryAccountNumber></CreditDebit>
        </Tender></LineItem>`,
    });
    const result = await normalizeText(doc(txn(), pan));
    expect(result.events).toHaveLength(1);
    expect(result.problems).toMatchObject([
      {
        code: 'card.full_number',
        pointer: '/POSLog/Transaction/1/RetailTransaction/LineItem/1/Tender/CreditDebit/PrimaryAccountNumber',
      },
    ]);
    const text = JSON.stringify(result);
    expect(text).not.toContain('4111111111111111');
    expect(text).not.toContain('4111 1111');
  });

  it('card numbers in attributes and outside transactions are refused too', async () => {
    const inAttribute = txn({ header: '<OperatorID OperatorName="5555555555554444">7</OperatorID>' });
    const result = await normalizeText(
      `<POSLog xmlns="${NS}"><BatchNote>card 5105105105105100 on file</BatchNote>${inAttribute}</POSLog>`,
    );
    expect(result.events).toEqual([]);
    expect(result.problems.map((p) => [p.code, p.pointer])).toEqual([
      ['card.full_number', '/POSLog/BatchNote'],
      ['card.full_number', '/POSLog/Transaction/0/OperatorID/@OperatorName'],
    ]);
    expect(JSON.stringify(result)).not.toMatch(/5555555555554444|5105105105105100/);
  });

  it('vendor extension elements, unknown line types and unknown transaction types are ignored, not rejected', async () => {
    const extended = txn({
      header: '<v:StoreMood xmlns:v="urn:vendor">sunny<v:Deep a="1"/></v:StoreMood>',
      body: `<LineItem><SequenceNumber>1</SequenceNumber><v:Hologram xmlns:v="urn:vendor"><v:Amount>999.99</v:Amount></v:Hologram></LineItem>
        <LineItem><SequenceNumber>2</SequenceNumber><FutureLineType><Amount>5</Amount></FutureLineType></LineItem>
        ${SALE_LINES.replace(/<SequenceNumber>(\d)<\/SequenceNumber>/g, '<SequenceNumber>1$1</SequenceNumber>')}
        <undeclared:Thing>no namespace declared for this prefix</undeclared:Thing>`,
    });
    const inventory = `<Transaction><RetailStoreID>12</RetailStoreID><WorkstationID>3</WorkstationID><SequenceNumber>9</SequenceNumber>
      <BusinessDayDate>2024-03-15</BusinessDayDate><EndDateTime>2024-03-15T10:00:00</EndDateTime>
      <InventoryControlTransaction><Count/></InventoryControlTransaction></Transaction>`;
    const result = await normalizeText(doc(extended, inventory));
    expect(result.problems).toEqual([]);
    expect(result.events.map((e) => e.type)).toEqual(['sale.completed.v1', 'control.recorded.v1']);
    expect(retail(result.events[0]?.data).lines.map((l) => l.lineNumber)).toEqual(['11']);
    expect(result.events[1]?.data).toMatchObject({ action: 'other', reason: 'InventoryControlTransaction' });
    expect(result.warnings).toMatchObject([{ code: 'poslog.transaction_type_unmapped' }]);
  });

  it('a document whose lines do not add up to its own grand total is refused by the rules', async () => {
    const result = await normalizeText(doc(txn({ total: '25.00' })));
    expect(result.events).toEqual([]);
    expect(result.problems.map((p) => p.code)).toContain('totals.unbalanced');
  });

  it('no currency anywhere: refused unless the caller names one', async () => {
    const text = doc(txn({ currency: null }));
    const refused = await normalizeText(text);
    expect(refused.problems).toMatchObject([
      { code: 'currency.missing', pointer: '/POSLog/Transaction/0/CurrencyCode' },
    ]);
    const given = await normalizeText(text, { currency: 'CAD' });
    expect(given.problems).toEqual([]);
    expect(retail(given.events[0]?.data).currency).toBe('CAD');
  });

  it('currency from a per-amount Currency attribute; 3-decimal currencies stay exact', async () => {
    const body = SALE_LINES.replace(/<ExtendedAmount>19.99/, '<ExtendedAmount Currency="KWD">19.990').replace(
      /<Amount>19.99/,
      '<Amount Currency="KWD">19.990',
    );
    const result = await normalizeText(doc(txn({ currency: null, body, total: '19.990' })));
    expect(result.problems).toEqual([]);
    expect(retail(result.events[0]?.data).total).toEqual({ minor: 19990, currency: 'KWD', exponent: 3 });
  });

  it('an empty POSLog is reported, not silently accepted', async () => {
    const result = await normalizeText(`<POSLog xmlns="${NS}"></POSLog>`);
    expect(result.problems).toMatchObject([{ code: 'poslog.no_transactions', pointer: '/POSLog' }]);
  });
});

describe('POSLog transaction kinds and readings', () => {
  it('a cancelled transaction is a void; a VoidedFlag one is a post-void pointing at itself', async () => {
    const cancelled = txn({
      attrs: ' CancelFlag="true"',
      body: SALE_LINES.split('<LineItem><SequenceNumber>2')[0],
    });
    const voided = txn({ sequence: '2', attrs: ' VoidedFlag="true"' });
    const result = await normalizeText(doc(cancelled, voided));
    expect(result.problems).toEqual([]);
    expect(result.events.map((e) => e.type)).toEqual(['transaction.voided.v1', 'transaction.post_voided.v1']);
    expect(retail(result.events[1]?.data).links).toMatchObject([
      { kind: 'post_void', key: { storeId: '12', workstationId: '3', sequence: '2' }, reason: 'VoidedFlag' },
    ]);
  });

  it('a post-void transaction links to the transaction it voids', async () => {
    const postVoid = txn({
      sequence: '5',
      body: `<TransactionLink ReasonCode="PostVoid"><RetailStoreID>12</RetailStoreID><WorkstationID>3</WorkstationID>
        <SequenceNumber>1</SequenceNumber><BusinessDayDate>2024-03-15</BusinessDayDate></TransactionLink>`,
      total: '0.00',
    });
    const result = await normalizeText(doc(postVoid));
    expect(result.problems).toEqual([]);
    expect(result.events[0]?.type).toBe('transaction.post_voided.v1');
    expect(retail(result.events[0]?.data).links).toMatchObject([
      { kind: 'post_void', key: { sequence: '1' } },
    ]);
  });

  it('a post-void logged as a ControlTransaction is still a post-void', async () => {
    const text = doc(
      `<Transaction><RetailStoreID>12</RetailStoreID><WorkstationID>3</WorkstationID><SequenceNumber>6</SequenceNumber>
        <BusinessDayDate>2024-03-15</BusinessDayDate><EndDateTime>2024-03-15T10:05:00</EndDateTime><CurrencyCode>USD</CurrencyCode>
        <ControlTransaction><PostVoid><SequenceNumber>1</SequenceNumber><WorkstationID>3</WorkstationID></PostVoid></ControlTransaction>
      </Transaction>`,
    );
    const result = await normalizeText(text);
    expect(result.problems).toEqual([]);
    expect(result.events[0]?.type).toBe('transaction.post_voided.v1');
    expect(retail(result.events[0]?.data).links).toMatchObject([
      { kind: 'post_void', key: { sequence: '1' } },
    ]);
  });

  it('split tender: gift card, voucher, store credit and cash, each with its type and reference', async () => {
    const body = `<LineItem><SequenceNumber>1</SequenceNumber><Sale><ItemID>1</ItemID><ExtendedAmount>100.00</ExtendedAmount></Sale></LineItem>
      <LineItem><SequenceNumber>2</SequenceNumber><Tender TenderType="GiftCard"><Amount>40.00</Amount>
        <GiftCard><SerialNumber>******7781</SerialNumber></GiftCard></Tender></LineItem>
      <LineItem><SequenceNumber>3</SequenceNumber><Tender TenderType="Voucher"><Amount>25.00</Amount>
        <Voucher><SerialNumber>V-2024-0042</SerialNumber></Voucher></Tender></LineItem>
      <LineItem><SequenceNumber>4</SequenceNumber><Tender TenderType="StoredValue"><Amount>15.00</Amount></Tender></LineItem>
      <LineItem><SequenceNumber>5</SequenceNumber><Tender TenderType="Cash"><Amount>20.00</Amount>
        <TenderChange><Amount>0.00</Amount></TenderChange></Tender></LineItem>`;
    const result = await normalizeText(doc(txn({ body, total: '100.00' })));
    expect(result.problems).toEqual([]);
    expect(retail(result.events[0]?.data).tenders).toMatchObject([
      { type: 'gift_card', amount: { minor: 4000 }, reference: '******7781', sourceType: 'GiftCard' },
      { type: 'voucher', amount: { minor: 2500 }, reference: 'V-2024-0042' },
      { type: 'store_credit', amount: { minor: 1500 }, sourceType: 'StoredValue' },
      { type: 'cash', amount: { minor: 2000 } },
    ]);
  });

  it('a negative-quantity Sale line is a return (roqqio RETOUR); a positive grand total for it is a sign warning', async () => {
    const body = `<LineItem><SequenceNumber>1</SequenceNumber><Sale><ItemID>9</ItemID>
        <ExtendedAmount>2.990</ExtendedAmount><Quantity>-1.0000</Quantity></Sale></LineItem>
      <LineItem><SequenceNumber>2</SequenceNumber><Tender TenderType="Cash" TypeCode="Refund"><Amount>2.990</Amount></Tender></LineItem>`;
    const result = await normalizeText(doc(txn({ currency: 'EUR', body, total: '2.990' })));
    expect(result.problems).toEqual([]);
    const ret = retail(result.events[0]?.data);
    expect(result.events[0]?.type).toBe('return.completed.v1');
    expect(ret.lines[0]).toMatchObject({
      direction: 'return',
      quantity: '-1.0000',
      extendedAmount: { minor: -299 },
    });
    expect(ret.total.minor).toBe(-299);
    expect(result.warnings).toMatchObject([{ code: 'poslog.total_sign' }]);
  });

  it('a transaction-level tax added on top of the price counts in the total', async () => {
    const body = `${SALE_LINES.replace('<Amount>19.99', '<Amount>21.64')}
      <LineItem><SequenceNumber>3</SequenceNumber><Tax TaxType="Sales" TaxIncludedInPriceFlag="false">
        <TaxableAmount>19.99</TaxableAmount><Amount>1.65</Amount><Percent>8.25</Percent></Tax></LineItem>`;
    const result = await normalizeText(doc(txn({ body, total: '21.64' })));
    expect(result.problems).toEqual([]);
    const sale = retail(result.events[0]?.data);
    expect(sale.taxes).toMatchObject([{ amount: { minor: 165 }, rate: '8.25', included: false }]);
    expect(sale.total.minor).toBe(2164);
    expect(result.warnings).toEqual([]);
  });

  it('without TaxIncludedInPriceFlag, the reading that matches the grand total is taken, with a warning', async () => {
    const body = SALE_LINES.replace(
      '<Quantity>1</Quantity>',
      '<Quantity>1</Quantity><Tax><Amount>3.33</Amount><Percent>20</Percent></Tax>',
    );
    const result = await normalizeText(doc(txn({ currency: 'EUR', body })));
    expect(result.problems).toEqual([]);
    expect(retail(result.events[0]?.data).lines[0]?.taxes[0]?.included).toBe(true);
    expect(result.warnings).toMatchObject([{ code: 'poslog.tax_included_inferred' }]);
  });

  it('a missing business day is derived from the end time and marked derived', async () => {
    const text = doc(txn()).replace('<BusinessDayDate>2024-03-15</BusinessDayDate>', '');
    const result = await normalizeText(text, { timeZone: 'America/Chicago' });
    expect(result.problems).toEqual([]);
    expect(retail(result.events[0]?.data).key).toMatchObject({
      businessDay: '2024-03-15',
      businessDaySource: 'derived',
    });
    expect(result.warnings).toMatchObject([{ code: 'poslog.business_day_derived' }]);
  });
});
