import type { RetailTransaction } from '@poshub/model';

/** The sales channel of a Shopify `source_name`: "pos" is a till, "web" the online store, apps are "other". */
export function shopifyChannel(sourceName: string | undefined): RetailTransaction['channel'] {
  switch (sourceName?.toLowerCase()) {
    case 'pos':
      return 'store';
    case 'web':
      return 'web';
    case 'iphone':
    case 'android':
      return 'mobile';
    default:
      // Draft orders, numeric app ids and marketplaces: not a till and not the storefront.
      return sourceName ? 'other' : 'store';
  }
}
