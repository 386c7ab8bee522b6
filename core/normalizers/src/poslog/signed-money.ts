import type { Money } from '@poshub/model';

/** The amount with the given sign, whatever sign the source wrote (POSLog signs differ by producer). */
export function withSign(money: Money, sign: number): Money {
  const abs = Math.abs(money.minor);
  return { ...money, minor: sign < 0 ? -abs || 0 : abs };
}

/** Canonical decimal text without its sign. */
export function unsignedDecimal(text: string): string {
  return text.startsWith('-') ? text.slice(1) : text;
}
