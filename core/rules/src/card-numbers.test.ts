import { describe, expect, it } from 'vitest';
import { cardNumbersIn, findCardNumbers, parseJsonForScan, passesLuhn } from './card-numbers.ts';

describe('card number detection', () => {
  it('finds test PANs of the main schemes, plain or grouped', () => {
    expect(cardNumbersIn('4111111111111111')).toEqual(['4111111111111111']);
    expect(cardNumbersIn('pan 4111 1111 1111 1111 end')).toEqual(['4111111111111111']);
    expect(cardNumbersIn('5555-5555-5555-4444')).toEqual(['5555555555554444']);
    expect(cardNumbersIn('amex 378282246310005')).toEqual(['378282246310005']);
    expect(cardNumbersIn('6011111111111117')).toEqual(['6011111111111117']);
    expect(cardNumbersIn('4222222222222')).toEqual(['4222222222222']);
  });

  it('leaves masked PANs, GTINs, short numbers and Luhn failures alone', () => {
    expect(cardNumbersIn('541333******0011')).toEqual([]);
    expect(cardNumbersIn('00000000067591')).toEqual([]); // GTIN-14 with leading zeros
    expect(cardNumbersIn('4006381333931')).toEqual([]); // EAN-13 beginning with 4 (fails Luhn)
    expect(cardNumbersIn('4111111111111112')).toEqual([]);
    expect(cardNumbersIn('411111111111')).toEqual([]);
    expect(cardNumbersIn('2017-10-01T02:01:31')).toEqual([]);
    expect(cardNumbersIn('order-4111111111111111x')).toEqual([]); // part of an alphanumeric token
    expect(cardNumbersIn('240-7-20240615-1966')).toEqual([]); // composite transaction id, not card grouping
    expect(cardNumbersIn('3782 822463 10005')).toEqual(['378282246310005']); // Amex grouping
    expect(cardNumbersIn('4111-1111 1111-1111')).toEqual([]); // mixed separators
    expect(passesLuhn('79927398713')).toBe(true);
  });

  it('exempts numeric record ids sent as JSON numbers, not strings or other keys', () => {
    // 5678901234565 passes Luhn and sits in the Maestro range: a real Shopify-sized order id.
    expect(cardNumbersIn('5678901234565')).toEqual(['5678901234565']);
    const doc = parseJsonForScan(
      '{"id": 5678901234565, "line_item_ids": [5678901234565], "admin_graphql_api_id": "gid://shopify/Order/5678901234565"}',
    );
    expect(findCardNumbers(doc)).toEqual([]);
    expect(findCardNumbers(parseJsonForScan('{"id": "5678901234565"}')).map((p) => p.pointer)).toEqual([
      '/id',
    ]);
    expect(findCardNumbers(parseJsonForScan('{"note": 4111111111111111}')).map((p) => p.pointer)).toEqual([
      '/note',
    ]);
  });

  it('points at the value (or key) holding a card number, in any JSON', () => {
    const problems = findCardNumbers({
      a: [{ note: 'x' }, { note: 'paid with 5555555555554444' }],
      '4111111111111111': 1,
    });
    expect(problems.map((p) => p.pointer)).toEqual(['/a/1/note', '/4111111111111111']);
    expect(problems[0]?.message).not.toContain('5555555555554444');
  });
});

describe('card numbers in canonical events', () => {
  it('exempts digit-only external ids but not a card number elsewhere', async () => {
    const { checkEvent } = await import('./check-event.ts');
    const ids = { source: { ids: [{ scheme: 'shopify.order', value: '5678901234565' }] } };
    expect(checkEvent(ids).ok).toBe(false); // not a valid event, but not for a card number:
    const result = checkEvent(ids);
    expect(result.ok ? [] : result.problems.map((p) => p.code)).not.toContain('card.full_number');
    const card = { source: { ids: [{ scheme: 'payment.card', value: '4111111111111111' }] } };
    const refused = checkEvent(card);
    expect(refused.ok ? [] : refused.problems.map((p) => p.code)).toEqual(['card.full_number']);
  });
});
