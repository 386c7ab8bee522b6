import { MatchersV3 } from '@pact-foundation/pact';
import type { CanonicalEvent } from '@poshub/model';

const { eachLike, integer, like, regex } = MatchersV3;

const CURRENCY = /^[A-Z]{3}$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

type Json = Record<string, unknown>;
type Money = { minor: number; currency: string; exponent: number };

/** Money as integer minor units with its ISO 4217 currency and exponent: never a float. */
function moneyLike(example: Money) {
  return {
    minor: integer(example.minor),
    currency: regex(CURRENCY, example.currency),
    exponent: integer(example.exponent),
  };
}

/** More that one connector relies on, as matchers: on the transaction, and on each of its lines. */
export interface MoreRelied {
  data?: Record<string, unknown>;
  line?: Record<string, unknown>;
}

/**
 * What a connector relies on in a retail transaction (`data` of sale.completed.v1 / return.completed.v1),
 * as Pact matchers around a real example: its kind, natural key, currency, lines with signed decimal
 * quantities and money in minor units, tenders and the total, and whatever `more` adds for one connector.
 * Anything else the hub adds may vary.
 */
export function transactionDataLike(event: CanonicalEvent, more: MoreRelied = {}) {
  const data = event.data as Json & {
    kind: string;
    key: Record<string, string>;
    currency: string;
    lines: Array<Json & { lineNumber: string; direction: string; quantity: string; extendedAmount: Money }>;
    tenders: Array<Json & { type: string; amount: Money }>;
    total: Money;
  };
  const [line] = data.lines;
  const [tender] = data.tenders;
  if (!line || !tender) throw new Error(`${event.id}: the example needs a line and a tender`);
  return {
    kind: data.kind,
    key: {
      storeId: like(data.key.storeId!),
      workstationId: like(data.key.workstationId!),
      businessDay: regex(DATE, data.key.businessDay!),
      sequence: like(data.key.sequence!),
    },
    currency: regex(CURRENCY, data.currency),
    lines: eachLike({
      lineNumber: like(line.lineNumber),
      direction: regex(/^(sale|return)$/, line.direction),
      item: like({}),
      quantity: regex(DECIMAL, line.quantity),
      extendedAmount: moneyLike(line.extendedAmount),
      ...more.line,
    }),
    tenders: eachLike({ type: like(tender.type), amount: moneyLike(tender.amount) }),
    total: moneyLike(data.total),
    ...more.data,
  };
}

/** The CloudEvents headers (binary mode, `ce_` prefix) a connector relies on, for an event of this type. */
export function cloudEventHeadersLike(event: CanonicalEvent) {
  return {
    'content-type': 'application/json',
    ce_specversion: '1.0',
    ce_type: event.type,
    ce_id: regex(/^\S{1,200}$/, event.id),
    ce_source: regex(/^\/\S*$/, event.source),
    ce_subject: like(event.subject),
  };
}
