import { Big, type BigValue } from './decimal.ts';

/**
 * Splits exact amounts (sub-minor places allowed) into whole minor units that add up to `target` exactly:
 * each amount is rounded down and the units still missing go to the largest remainders (ties to the earlier
 * amount), so amounts that are already whole stay as they are while a fractional one can take the unit.
 */
export function allocateMinorUnits(values: readonly BigValue[], exponent: number, target: bigint): bigint[] {
  if (values.length === 0) return [];
  const scale = new Big(`1e${exponent}`);
  const sum = values.reduce((acc, v) => acc.plus(v), new Big('0'));
  // Work on magnitudes so that a return allocates as the mirror image of its sale.
  const sign = sum.lt('0') || (sum.eq('0') && target < 0n) ? -1 : 1;
  const scaled = values.map((v) => (sign < 0 ? v.neg() : v).times(scale));
  const floors = scaled.map((s) => {
    const down = s.round(0, Big.roundDown);
    return s.lt('0') && !down.eq(s) ? down.minus('1') : down;
  });
  const remainders = scaled.map((s, i) => s.minus(floors[i]!));
  const result = floors.map((f) => BigInt(f.toFixed(0)));
  let missing = (sign < 0 ? -target : target) - result.reduce((a, b) => a + b, 0n);
  const byRemainder = remainders.map((r, i) => ({ r, i }));
  const up = [...byRemainder].sort((a, b) => (b.r.eq(a.r) ? a.i - b.i : b.r.cmp(a.r))).map((x) => x.i);
  // Excess units (a stated target below the exact sum) come off fractional amounts first, then whole ones.
  const down = [...byRemainder]
    .sort((a, b) => {
      const wholeA = a.r.eq('0') ? 1 : 0;
      const wholeB = b.r.eq('0') ? 1 : 0;
      if (wholeA !== wholeB) return wholeA - wholeB;
      return a.r.eq(b.r) ? a.i - b.i : a.r.cmp(b.r);
    })
    .map((x) => x.i);
  // Whole rounds first, so a target far from the sum costs no more than one pass.
  const rounds = missing / BigInt(values.length);
  if (rounds !== 0n) {
    for (const [i, m] of result.entries()) result[i] = m + rounds;
    missing -= rounds * BigInt(values.length);
  }
  const order = missing > 0n ? up : down;
  const step = missing > 0n ? 1n : -1n;
  for (let k = 0; missing !== 0n; k++) {
    const at = order[k]!;
    result[at] = (result[at] ?? 0n) + step;
    missing -= step;
  }
  return sign < 0 ? result.map((m) => -m) : result;
}
