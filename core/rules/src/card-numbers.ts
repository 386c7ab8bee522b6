import type { Problem } from '@poshub/model';
import { toPointer } from '@poshub/model';

// Digit runs of 13-19 digits, or digits grouped the way cards are printed: 4-4-4-4(-1..3) for most schemes,
// 4-6-5 (American Express) and 4-6-4 (Diners), with one kind of separator, a space or a dash.
// Other dashed numbers (dates, composite ids like 240-7-20240615-1966) are not card numbers.
// A run right after "/" is a path segment (Shopify gid://shopify/Order/5678901234567), not a card.
const CANDIDATE_RE =
  /(?<![\dA-Za-z/])(?:\d{13,19}|\d{4}([ -])\d{4}\1\d{4}\1\d{4}(?:\1\d{1,3})?|\d{4}([ -])\d{6}\2\d{4,5})(?![\dA-Za-z])/g;

const FOUR_DIGITS = /\d{4}/;

/** Luhn (mod 10) check over a string of digits. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

// Issuer prefixes and lengths of the card schemes in use (ISO/IEC 7812 IIN ranges as the schemes publish
// them). Checking them besides Luhn keeps GTINs and long numeric ids from being taken for cards.
function looksLikeCardScheme(d: string): boolean {
  const n = d.length;
  const p2 = Number(d.slice(0, 2));
  const p4 = Number(d.slice(0, 4));
  const p6 = Number(d.slice(0, 6));
  if (d[0] === '4') return n === 13 || n === 16 || n === 19; // Visa
  if ((p2 >= 51 && p2 <= 55) || (p6 >= 222100 && p6 <= 272099)) return n === 16; // Mastercard
  if (p2 === 34 || p2 === 37) return n === 15; // American Express
  if (p4 === 6011 || p2 === 65 || (p4 >= 6440 && p4 <= 6499)) return n >= 16 && n <= 19; // Discover
  if (p4 >= 3528 && p4 <= 3589) return n >= 16 && n <= 19; // JCB
  if (p2 === 36 || p2 === 38 || p2 === 39 || (p4 >= 3000 && p4 <= 3059)) return n >= 14 && n <= 19; // Diners
  if (p2 === 62 || p2 === 81) return n >= 16 && n <= 19; // UnionPay
  if (p2 === 50 || (p2 >= 56 && p2 <= 69)) return n >= 13 && n <= 19; // Maestro and national debit
  return false;
}

/** The full card numbers (PANs) in a piece of text: 13-19 digits, a card scheme's prefix, passing Luhn. */
export function cardNumbersIn(text: string): string[] {
  // Most values (names, codes, short numbers) cannot hold a card: skip the full scan for them.
  if (text.length < 13 || !FOUR_DIGITS.test(text)) return [];
  const found: string[] = [];
  for (const match of text.matchAll(CANDIDATE_RE)) {
    const digits = match[0].replace(/[ -]/g, '');
    if (digits.length >= 13 && digits.length <= 19 && looksLikeCardScheme(digits) && passesLuhn(digits)) {
      found.push(digits);
    }
  }
  return found;
}

/** A full card number masked for a message: first six and last four are never both shown; only the last four. */
export function maskCardNumber(digits: string): string {
  return `${'*'.repeat(Math.max(0, digits.length - 4))}${digits.slice(-4)}`;
}

/** One problem for a full card number found at `pointer`; the number itself never appears in it. */
export function cardNumberProblem(pointer: string, digits: string): Problem {
  return {
    code: 'card.full_number',
    pointer,
    message: `a full card number (${maskCardNumber(digits)}) is not accepted: send the brand and last four digits only`,
    severity: 'error',
  };
}

/** A JSON number kept as its source text, so a scan can tell `"id": 5678901234567` from a string. */
export class JsonNumberText {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}

/** Parses JSON for a card scan: numbers become JsonNumberText; throws on invalid JSON. */
export function parseJsonForScan(text: string): unknown {
  return JSON.parse(text, ((_key: string, value: unknown, context?: { source?: string }) =>
    typeof value === 'number' ? new JsonNumberText(context?.source ?? String(value)) : value) as Parameters<
    typeof JSON.parse
  >[1]);
}

// Vendors send numeric record ids as JSON numbers (Shopify ids are 13 digits in the Maestro range and pass
// Luhn one time in ten). Card numbers are never sent as JSON numbers under an id key, so those are exempt.
const ID_KEY = /(^|_)ids?$|Ids?$|ID$/;

/**
 * Walks any parsed document (JSON values, object keys included) and reports every full card number
 * with the JSON pointer of the value that holds it. `exempt` skips values known to be record ids.
 */
export function findCardNumbers(
  value: unknown,
  path: PropertyKey[] = [],
  exempt: (at: PropertyKey[], node: unknown) => boolean = () => false,
): Problem[] {
  const problems: Problem[] = [];
  const visit = (node: unknown, at: PropertyKey[], key: string | undefined): void => {
    if (exempt(at, node)) return;
    if (node instanceof JsonNumberText) {
      if (key !== undefined && ID_KEY.test(key)) return;
      for (const digits of cardNumbersIn(node.text)) problems.push(cardNumberProblem(toPointer(at), digits));
    } else if (typeof node === 'string' || typeof node === 'number' || typeof node === 'bigint') {
      for (const digits of cardNumbersIn(String(node)))
        problems.push(cardNumberProblem(toPointer(at), digits));
    } else if (Array.isArray(node)) {
      for (const [i, item] of node.entries()) visit(item, [...at, i], key);
    } else if (node && typeof node === 'object') {
      for (const [k, child] of Object.entries(node)) {
        for (const digits of cardNumbersIn(k))
          problems.push(cardNumberProblem(toPointer([...at, k]), digits));
        visit(child, [...at, k], k);
      }
    }
  };
  visit(value, path, undefined);
  return problems;
}
