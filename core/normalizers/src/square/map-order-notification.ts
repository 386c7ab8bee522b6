import type { OmnichannelOrder } from '@poshub/model';
import { makeEvent } from '@poshub/model';
import { MapContext } from '../map-context.ts';
import type { NormalizedCandidate, NormalizeOptions } from '../normalizer.ts';
import { eventTime } from '../timestamp.ts';
import type { VendorJson } from '../vendor-json.ts';
import { asText, isObject } from '../vendor-json.ts';
import type { SquareWebhook } from './square-resources.ts';
import { squareSource } from './square-source.ts';
import { squareStoreId } from './square-store.ts';

/**
 * Maps a thin Square order webhook (`order.created`, `order.updated`, `order.fulfillment.updated`): it says
 * only which order, its state and version. The event is marked incomplete: the order must be fetched
 * (RetrieveOrder), and that fetch, normalised, gives the full event. The identity is (order, version) so
 * repeated deliveries of one notification collapse, and never collides with the fetched order's event.
 */
export function mapSquareOrderNotification(
  notice: VendorJson,
  at: string,
  options: NormalizeOptions,
  webhook: SquareWebhook,
): NormalizedCandidate {
  const ctx = new MapContext({ zone: options.timeZone });
  if (!isObject(notice)) {
    ctx.error('field.missing', at, `the ${webhook.type} webhook carries no order`);
    return { ok: false, problems: ctx.problems };
  }
  const orderId = ctx.text(asText(notice.order_id), `${at}/order_id`, 'order id');
  const state = ctx.text(asText(notice.state), `${at}/state`, 'order state');
  const when = notice.updated_at ?? notice.created_at;
  const occurredAt = ctx.timestamp(
    when,
    `${at}/${notice.updated_at === undefined ? 'created_at' : 'updated_at'}`,
  );
  if (ctx.failed || !orderId || !state || !occurredAt) return { ok: false, problems: ctx.problems };
  const storeId = squareStoreId(asText(notice.location_id), options);
  const version = asText(notice.version);
  const data: OmnichannelOrder = {
    orderId,
    ids: [{ scheme: 'square.order', value: orderId }],
    fulfilment: 'unknown',
    status: state === 'CANCELED' ? 'cancelled' : state.toLowerCase(),
    storeId,
    complete: false,
    lines: [],
    occurredAt,
    source: squareSource(
      notice,
      [
        ['square.order', 'order_id'],
        ['square.location', 'location_id'],
      ],
      ['created_at', 'updated_at'],
      webhook,
    ),
  };
  const type = webhook.type === 'order.created' ? 'order.created.v1' : 'order.updated.v1';
  const event = makeEvent(type, data, {
    source: `/square/stores/${storeId}`,
    subject: storeId,
    identity: `${orderId}|${version ?? asText(when) ?? ''}|notification`,
    time: eventTime(occurredAt),
  });
  return { ok: true, event, warnings: ctx.warnings, unit: at };
}
