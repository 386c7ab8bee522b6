import { describe, expect, it } from 'vitest';
import { MAX_MISSING_LISTED, missingSequences } from './missing-sequences.ts';

describe('missingSequences', () => {
  it('lists the numbers never received between the lowest and the highest', () => {
    expect(missingSequences(['1', '2', '5', '3'])).toEqual({
      missing: ['4'],
      truncated: false,
      outside: [],
      first: '1',
      last: '5',
    });
  });

  it("holds the received numbers to the till's own first and last sequence", () => {
    const check = missingSequences(['2', '3', '4', '9'], { first: '1', last: '6' });
    expect(check.missing).toEqual(['1', '5', '6']);
    expect(check.outside).toEqual(['9']);
  });

  it('keeps zero-padded numbering and ignores sequences that are not numbers', () => {
    expect(missingSequences(['000098', 'A-1', '000101']).missing).toEqual(['000099', '000100']);
    expect(missingSequences(['A-1', 'B-2'])).toMatchObject({ missing: [], first: undefined });
  });

  it('lists at most 500 and says so', () => {
    const check = missingSequences(['1', '100000']);
    expect(check.missing).toHaveLength(MAX_MISSING_LISTED);
    expect(check.truncated).toBe(true);
  });
});
