import { z } from 'zod';
import {
  Extensions,
  ExternalId,
  ItemRef,
  SourceId,
  SourceInfo,
  Timestamp,
  TransactionKey,
} from './common.ts';
import { Decimal } from './money/decimal.ts';
import { CurrencyCode, Money, UnitPrice } from './money/money.ts';

// Sign convention, used everywhere money or quantity appears in a transaction: a value is signed as it
// affects the store's takings. A sale line is +, its discount -, its tax +; a return line is -, the
// discount on a returned line +, its tax -. A tender is + when money comes in, - when it goes out.

/** A tax on a line or on the whole transaction, as the source stated it. */
export const Tax = z
  .object({
    code: z.string().optional(),
    name: z.string().optional(),
    rate: Decimal.optional().describe('Percentage as text, e.g. "20" or "8.875".'),
    rateDerived: z
      .boolean()
      .default(false)
      .describe('True when the rate was computed, not given by the source.'),
    taxableAmount: Money.optional(),
    amount: Money,
    included: z.boolean().describe('True when the tax is inside the price (VAT), false when added on top.'),
  })
  .strict();
export type Tax = z.infer<typeof Tax>;

/** A discount, reward or promotion on a line or on the whole transaction. */
export const Discount = z
  .object({
    kind: z.enum(['amount', 'percent', 'price_override', 'coupon', 'loyalty_reward', 'employee', 'other']),
    amount: Money.describe('Signed effect on the total: negative on a sale.'),
    percentage: Decimal.optional(),
    promotionId: z.string().optional(),
    code: z.string().optional(),
    description: z.string().optional(),
  })
  .strict();
export type Discount = z.infer<typeof Discount>;

/** A link from a line or transaction to an earlier one (a return to its sale, a resume, a post-void). */
export const TransactionLink = z
  .object({
    kind: z.enum(['return', 'exchange', 'post_void', 'resume', 'order', 'other']),
    key: TransactionKey.partial()
      .optional()
      .describe('Natural key of the linked transaction, as far as known.'),
    ids: z.array(ExternalId).default([]).describe('Source ids of the linked transaction.'),
    lineNumber: z.string().optional().describe('Line of the linked transaction, for a line-level link.'),
    reason: z.string().optional(),
  })
  .strict();
export type TransactionLink = z.infer<typeof TransactionLink>;

/** One item line: what was sold or returned. */
export const LineItem = z
  .object({
    lineNumber: z.string().min(1).describe('Line sequence number in the source; gaps are legal.'),
    direction: z.enum(['sale', 'return']),
    voided: z.boolean().default(false).describe('Voided in the basket: kept for audit, ignored in totals.'),
    voidsLine: z
      .string()
      .optional()
      .describe('On a compensating void line (NCR style): the lineNumber of the line it cancels.'),
    item: ItemRef,
    quantity: Decimal.describe('Signed: positive for a sale, negative for a return; may be a weight.'),
    unitOfMeasure: z.string().optional(),
    unitPrice: UnitPrice.optional(),
    extendedAmount: Money.describe('Signed amount of the line before discounts, as the source stated it.'),
    discounts: z.array(Discount).default([]),
    taxes: z.array(Tax).default([]),
    returnReason: z.string().optional(),
    originalLine: TransactionLink.optional().describe("A return's link to the sale and line it returns."),
    restock: z.boolean().optional().describe('For a return: whether the goods go back to stock.'),
    extensions: Extensions.optional(),
  })
  .strict();
export type LineItem = z.infer<typeof LineItem>;

/** Card data kept on a tender: brand and last four digits only. A full card number is never accepted. */
export const CardDetails = z
  .object({
    brand: z.string().optional(),
    last4: z
      .string()
      .regex(/^\d{4}$/, 'must be exactly the last four digits')
      .optional(),
    funding: z.enum(['credit', 'debit', 'prepaid', 'unknown']).optional(),
    entryMethod: z.string().optional(),
    authorizationCode: z.string().optional(),
    pspReference: z.string().optional(),
  })
  .strict();
export type CardDetails = z.infer<typeof CardDetails>;

/** One payment leg. Several per transaction are normal (split tender). */
export const Tender = z
  .object({
    type: z.enum([
      'cash',
      'card',
      'gift_card',
      'voucher',
      'store_credit',
      'loyalty_points',
      'mobile_wallet',
      'on_account',
      'other',
    ]),
    amount: Money.describe('Signed: + money in, - money out (refund, cash-back paid out).'),
    change: Money.optional().describe(
      'Cash handed back, as a positive amount; net tendered = amount - change.',
    ),
    cashback: Money.optional().describe(
      'Cash-back taken on a card leg (paid out by a separate negative cash leg).',
    ),
    purpose: z.enum(['payment', 'refund', 'cashback']).default('payment'),
    status: z.enum(['approved', 'pending', 'offline_pending', 'declined']).default('approved'),
    card: CardDetails.optional(),
    reference: z.string().optional().describe('Gift card / voucher number (masked) or payment reference.'),
    sourceType: z.string().optional().describe('The tender type as the source named it.'),
    ids: z.array(ExternalId).default([]),
  })
  .strict();
export type Tender = z.infer<typeof Tender>;

/** Customer and loyalty references on a transaction (the customer record itself is a customer.upserted event). */
export const CustomerRef = z
  .object({
    customerId: z.string().optional(),
    loyaltyAccountId: z.string().optional(),
    ids: z.array(ExternalId).default([]),
  })
  .strict();
export type CustomerRef = z.infer<typeof CustomerRef>;

/** Totals the source stated, kept beside what the hub computes from lines and tenders. */
export const StatedTotals = z
  .object({
    grand: Money.optional(),
    tax: Money.optional(),
    discount: Money.optional(),
    net: Money.optional(),
  })
  .strict();

/** A retail transaction at a till: sale, return, exchange, void (cancelled before completion) or post-void. */
export const RetailTransaction = z
  .object({
    kind: z.enum(['sale', 'return', 'exchange', 'void', 'post_void']),
    trainingMode: z.boolean().default(false).describe('Training transactions are stored, never dispatched.'),
    key: TransactionKey,
    currency: CurrencyCode,
    occurredAt: Timestamp.describe('When the transaction ended at the till.'),
    startedAt: Timestamp.optional(),
    operator: z.object({ id: SourceId, name: z.string().optional() }).strict().optional(),
    channel: z.enum(['store', 'web', 'mobile', 'marketplace', 'other']).default('store'),
    receiptNumber: z.string().optional(),
    lines: z.array(LineItem),
    discounts: z.array(Discount).default([]).describe('Transaction-level discounts not allocated to lines.'),
    taxes: z.array(Tax).default([]).describe('Transaction-level taxes not allocated to lines.'),
    fees: z
      .array(z.object({ kind: z.string(), amount: Money, taxes: z.array(Tax).default([]) }).strict())
      .default([])
      .describe('Shipping, service charges, tips, deposits.'),
    tenders: z.array(Tender),
    cashRounding: Money.optional().describe(
      'Rounding of a cash payment to the nearest coin, recorded explicitly.',
    ),
    total: Money.describe('Grand total the customer paid (+) or received (-).'),
    stated: StatedTotals.default({}).describe("The source's own totals, as written."),
    customer: CustomerRef.optional(),
    links: z.array(TransactionLink).default([]),
    source: SourceInfo,
    extensions: Extensions.optional(),
  })
  .strict();
export type RetailTransaction = z.infer<typeof RetailTransaction>;

/** A control transaction: recognised and recorded, never financial (sign-on, no-sale, suspend...). */
export const ControlTransaction = z
  .object({
    action: z.enum([
      'sign_on',
      'sign_off',
      'no_sale',
      'suspend',
      'resume',
      'till_open',
      'till_close',
      'paid_in',
      'paid_out',
      'business_day_open',
      'other',
    ]),
    trainingMode: z.boolean().default(false),
    key: TransactionKey,
    occurredAt: Timestamp,
    operator: z.object({ id: SourceId, name: z.string().optional() }).strict().optional(),
    amount: Money.optional(),
    reason: z.string().optional(),
    source: SourceInfo,
  })
  .strict();
export type ControlTransaction = z.infer<typeof ControlTransaction>;
