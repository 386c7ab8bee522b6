import type { SourceInfo } from '@poshub/model';
import type { VendorJson } from '../vendor-json.ts';
import { asText } from '../vendor-json.ts';
import type { SquareWebhook } from './square-resources.ts';

/** Source info of a Square object: its ids under `square.<name>` schemes, raw timestamps, version, webhook ids. */
export function squareSource(
  object: { [key: string]: VendorJson },
  ids: Array<[scheme: string, field: string]>,
  timestamps: string[],
  webhook?: SquareWebhook,
): SourceInfo {
  const source: SourceInfo = { system: 'square', format: 'square-v2', ids: [], timestamps: {} };
  for (const [scheme, field] of ids) {
    const value = asText(object[field]);
    if (value) source.ids.push({ scheme, value });
  }
  if (webhook?.eventId) source.ids.push({ scheme: 'square.webhook_event', value: webhook.eventId });
  if (webhook?.merchantId) source.ids.push({ scheme: 'square.merchant', value: webhook.merchantId });
  for (const field of timestamps) {
    const value = asText(object[field]);
    if (value) source.timestamps[field] = value;
  }
  const version = asText(object.version);
  if (version) source.version = version;
  return source;
}
