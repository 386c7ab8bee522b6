/** The event types of retail transactions: what a sales journal holds. */
export const RETAIL_EVENT_TYPES: readonly string[] = [
  'sale.completed.v1',
  'return.completed.v1',
  'exchange.completed.v1',
  'transaction.voided.v1',
  'transaction.post_voided.v1',
];
