import type { Timestamp, TransactionKey } from '@poshub/model';
import { naturalKeyText } from '@poshub/model';
import type { NormalizeOptions } from '../normalizer.ts';
import { derivedBusinessDay } from '../timestamp.ts';

/**
 * Store id used when a Shopify document names no location and the caller gave no `storeId`: online-store
 * orders carry `location_id: null`, and they all belong to the shop's one online store.
 */
export const SHOPIFY_DEFAULT_STORE_ID = 'online';

/** The store of a Shopify document: its location, else the caller's store, else the online store. */
export function shopifyStoreId(locationId: string | undefined, options: NormalizeOptions): string {
  return locationId ?? options.storeId ?? SHOPIFY_DEFAULT_STORE_ID;
}

/**
 * Natural key of a Shopify order or refund. Shopify has no business day: it is the store's calendar date of
 * `at`, in `timeZone` when given (else the shop offset Shopify writes in every timestamp).
 */
export function shopifyTransactionKey(parts: {
  storeId: string;
  workstationId: string;
  sequence: string;
  at: Timestamp;
  timeZone: string | undefined;
}): TransactionKey {
  return {
    storeId: parts.storeId,
    workstationId: parts.workstationId,
    businessDay: derivedBusinessDay(parts.at, parts.timeZone),
    sequence: parts.sequence,
    businessDaySource: 'derived',
  };
}

/** The event identity of a transaction: its natural key. */
export function transactionIdentity(key: TransactionKey): string {
  return naturalKeyText(key);
}
