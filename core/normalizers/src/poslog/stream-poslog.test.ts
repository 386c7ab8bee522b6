import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { normalizeDocument } from '../normalize-document.ts';
import type { DocumentInput } from '../normalizer.ts';
import { streamPoslog } from './stream-poslog.ts';

// A real collection between heap samples, so the bound below measures what is kept, not garbage.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function transaction(i: number): string {
  const cents = 100 + (i % 900);
  const amount = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
  return `<Transaction><RetailStoreID>12</RetailStoreID><WorkstationID>${1 + (i % 8)}</WorkstationID>
  <SequenceNumber>${i}</SequenceNumber><BusinessDayDate>2024-03-15</BusinessDayDate>
  <EndDateTime>2024-03-15T10:00:00</EndDateTime><CurrencyCode>USD</CurrencyCode>
  <RetailTransaction Version="2.1">
    <LineItem><SequenceNumber>1</SequenceNumber><Sale ItemType="Stock">
      <POSIdentity POSIDType="GTIN"><POSItemID>000000000${String(i).padStart(5, '0')}</POSItemID></POSIdentity>
      <Description>GENERATED ITEM ${i}          </Description>
      <ExtendedAmount>${amount}</ExtendedAmount><Quantity>1</Quantity></Sale></LineItem>
    <LineItem><SequenceNumber>2</SequenceNumber>
      <Tender TenderType="Cash" TypeCode="Sale"><Amount>${amount}</Amount></Tender></LineItem>
    <Total TotalType="TransactionGrandAmount">${amount}</Total>
  </RetailTransaction></Transaction>\n`;
}

/** A business day generated on the fly in 64 KiB chunks: never held whole, and never readable whole. */
function generatedDay(count: number): DocumentInput & { bytes: () => number } {
  let bytes = 0;
  return {
    bytes: () => bytes,
    text: () => Promise.reject(new Error('a POSLog day must be streamed, not read whole')),
    async *chunks() {
      let buffer =
        '<?xml version="1.0" encoding="UTF-8"?>\n<POSLog xmlns="http://www.nrf-arts.org/IXRetail/namespace/">\n';
      for (let i = 0; i < count; i++) {
        buffer += transaction(i);
        if (buffer.length >= 65536) {
          bytes += buffer.length;
          yield buffer;
          buffer = '';
        }
      }
      buffer += '</POSLog>\n';
      bytes += buffer.length;
      yield buffer;
    },
  };
}

describe('streaming a POSLog business day', () => {
  it('normalises 20,000 transactions from a chunked input with flat memory', {
    timeout: 120_000,
  }, async () => {
    const count = 20_000;
    const input = generatedDay(count);
    let events = 0;
    let problems = 0;
    let baseline = 0;
    let peak = 0;
    for await (const item of normalizeDocument(input)) {
      if (item.ok) events++;
      else problems++;
      if (events === 1000 || (events > 1000 && events % 4000 === 0)) {
        collectGarbage();
        const used = process.memoryUsage().heapUsed;
        if (events === 1000) baseline = used;
        peak = Math.max(peak, used);
      }
    }
    expect(problems).toBe(0);
    expect(events).toBe(count);
    // The document is well over 10 MB; holding it, or the trees of its transactions, would show here.
    expect(input.bytes()).toBeGreaterThan(10_000_000);
    expect(peak - baseline).toBeLessThan(8_000_000);
  });

  it('yields each transaction as soon as it closes, before the document ends', async () => {
    let written = 0;
    async function* slow() {
      yield `<POSLog xmlns="http://www.nrf-arts.org/IXRetail/namespace/">${transaction(1)}`;
      written++;
      yield transaction(2);
      written++;
      yield '</POSLog>';
    }
    const seen: number[] = [];
    for await (const unit of streamPoslog(slow())) {
      if (unit.kind === 'transaction') seen.push(written);
    }
    expect(seen).toEqual([0, 1]);
  });

  it('keeps nothing between transactions but the path to them', async () => {
    const units = [];
    for await (const unit of streamPoslog(generatedDay(3).chunks())) units.push(unit);
    expect(units.map((u) => (u.kind === 'transaction' ? u.element.base : u.kind))).toEqual([
      '/POSLog/Transaction/0',
      '/POSLog/Transaction/1',
      '/POSLog/Transaction/2',
    ]);
    const first = units[0];
    expect(first?.kind === 'transaction' && first.element.parent).toBe(undefined);
  });
});
