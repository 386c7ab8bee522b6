import type { NormalizeOptions } from '../normalizer.ts';

/**
 * Store id for Square objects that name no location (loyalty events may not) when the caller gave none:
 * the merchant's events still need a subject.
 */
export const SQUARE_DEFAULT_STORE_ID = 'square';

/** The store of a Square object: its location, else the caller's store, else the default. */
export function squareStoreId(locationId: string | undefined, options: NormalizeOptions): string {
  return locationId ?? options.storeId ?? SQUARE_DEFAULT_STORE_ID;
}
