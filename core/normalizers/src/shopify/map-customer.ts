import type { CustomerUpsert } from '@poshub/model';
import { makeEvent } from '@poshub/model';
import { MapContext } from '../map-context.ts';
import type { NormalizedCandidate, NormalizeOptions } from '../normalizer.ts';
import { eventTime } from '../timestamp.ts';
import type { VendorJson } from '../vendor-json.ts';
import { asArray, asBool, asText, isObject } from '../vendor-json.ts';
import { shopifySource } from './shopify-source.ts';
import { shopifyStoreId } from './shopify-transaction-key.ts';

type JsonObject = { [key: string]: VendorJson };
type Address = CustomerUpsert['addresses'][number];

// Loose on purpose: the model checks the address strictly; this only keeps a malformed one from refusing
// the whole customer.
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function address(value: JsonObject, isDefault: boolean): Address {
  const result: Address = {
    lines: [asText(value.address1), asText(value.address2)].filter(
      (l): l is string => l !== undefined && l.trim() !== '',
    ),
    default: asBool(value.default) ?? isDefault,
  };
  const city = asText(value.city);
  if (city) result.city = city;
  const region = asText(value.province_code) ?? asText(value.province);
  if (region) result.region = region;
  const zip = asText(value.zip);
  if (zip) result.postalCode = zip;
  const country = asText(value.country_code)?.toUpperCase();
  if (country && /^[A-Z]{2}$/.test(country)) result.country = country;
  return result;
}

function marketingConsent(customer: JsonObject): boolean | undefined {
  // Newer payloads replace accepts_marketing with email_marketing_consent.state.
  const consent = isObject(customer.email_marketing_consent) ? customer.email_marketing_consent : undefined;
  const state = consent ? asText(consent.state) : undefined;
  if (state) return state === 'subscribed';
  return asBool(customer.accepts_marketing);
}

/**
 * Maps a Shopify customer to a customer upsert. Every field but the ids is personal data: no problem or
 * warning message quotes any of it.
 */
export function mapShopifyCustomer(
  customer: JsonObject,
  at: string,
  options: NormalizeOptions,
): NormalizedCandidate {
  const ctx = new MapContext({ zone: options.timeZone });
  const id = ctx.text(asText(customer.id), `${at}/id`, 'customer id');
  const updated =
    customer.updated_at === undefined || customer.updated_at === null
      ? undefined
      : ctx.timestamp(customer.updated_at, `${at}/updated_at`);
  if (ctx.failed || !id) return { ok: false, problems: ctx.problems };
  const data: CustomerUpsert = {
    customerId: id,
    ids: [{ scheme: 'shopify.customer', value: id }],
    addresses: [],
    source: shopifySource(customer, [['shopify.customer', 'id']], ['created_at', 'updated_at']),
  };
  const given = asText(customer.first_name);
  if (given) data.givenName = given;
  const family = asText(customer.last_name);
  if (family) data.familyName = family;
  const email = asText(customer.email)?.trim();
  if (email && EMAIL_RE.test(email)) data.email = email;
  else if (email)
    ctx.warn('customer.email_invalid', `${at}/email`, 'the e-mail address is not valid and is left out');
  const defaultAddress = isObject(customer.default_address) ? customer.default_address : undefined;
  const phone = asText(customer.phone) ?? (defaultAddress ? asText(defaultAddress.phone) : undefined);
  if (phone) data.phone = phone;
  const addresses = asArray(customer.addresses).filter(isObject);
  const defaultId = defaultAddress ? asText(defaultAddress.id) : undefined;
  for (const entry of addresses) data.addresses.push(address(entry, asText(entry.id) === defaultId));
  if (addresses.length === 0 && defaultAddress) data.addresses.push(address(defaultAddress, true));
  const consent = marketingConsent(customer);
  if (consent !== undefined) data.marketingConsent = consent;
  if (updated) data.updatedAt = updated;
  const storeId = shopifyStoreId(undefined, options);
  const event = makeEvent('customer.upserted.v1', data, {
    source: `/shopify/stores/${storeId}`,
    subject: storeId,
    identity: `${id}|${updated?.raw ?? ''}`,
    time: eventTime(updated),
  });
  return { ok: true, event, warnings: ctx.warnings, unit: at || undefined };
}
