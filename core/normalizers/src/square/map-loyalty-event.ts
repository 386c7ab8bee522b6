import type { LoyaltyEvent } from '@poshub/model';
import { LOYALTY_EVENT_TYPE, makeEvent } from '@poshub/model';
import { MapContext } from '../map-context.ts';
import type { NormalizedCandidate, NormalizeOptions } from '../normalizer.ts';
import { eventTime } from '../timestamp.ts';
import type { VendorJson } from '../vendor-json.ts';
import { asText, isObject } from '../vendor-json.ts';
import type { SquareWebhook } from './square-resources.ts';
import { squareSource } from './square-source.ts';
import { squareStoreId } from './square-store.ts';

type JsonObject = { [key: string]: VendorJson };

interface Route {
  /** Key of the event's details. */
  details: string;
  kind: LoyaltyEvent['kind'];
  /** How the event's points move the balance: as written, always out, always in, or not at all. */
  points: 'signed' | 'out' | 'in' | 'none';
  reason?: string;
}

// Square writes CREATE_REWARD points as -10 and DELETE_REWARD points as the points given back; the sign is
// forced anyway, because the direction is the event's meaning, not the number's.
const ROUTES: Record<string, Route> = {
  ACCUMULATE_POINTS: { details: 'accumulate_points', kind: 'accrual', points: 'signed' },
  ACCUMULATE_PROMOTION_POINTS: { details: 'accumulate_promotion_points', kind: 'accrual', points: 'signed' },
  CREATE_REWARD: { details: 'create_reward', kind: 'redemption', points: 'out', reason: 'reward created' },
  // Points left the account when the reward was created: redeeming it on an order moves none.
  REDEEM_REWARD: { details: 'redeem_reward', kind: 'redemption', points: 'none', reason: 'reward redeemed' },
  DELETE_REWARD: { details: 'delete_reward', kind: 'adjustment', points: 'in', reason: 'reward deleted' },
  ADJUST_POINTS: { details: 'adjust_points', kind: 'adjustment', points: 'signed' },
  EXPIRE_POINTS: { details: 'expire_points', kind: 'adjustment', points: 'out', reason: 'points expired' },
  OTHER: { details: 'other_event', kind: 'adjustment', points: 'signed' },
};

/**
 * Maps a Square LoyaltyEvent (from AccumulateLoyaltyPoints, SearchLoyaltyEvents or the `loyalty.event.created`
 * webhook) to a loyalty accrual, redemption or adjustment, with the order it belongs to when Square names one.
 */
export function mapSquareLoyaltyEvent(
  value: VendorJson,
  at: string,
  options: NormalizeOptions,
  webhook?: SquareWebhook,
): NormalizedCandidate {
  const ctx = new MapContext({ zone: options.timeZone });
  if (!isObject(value)) {
    ctx.error('field.missing', at, 'the loyalty event is missing');
    return { ok: false, problems: ctx.problems };
  }
  const id = ctx.text(asText(value.id), `${at}/id`, 'loyalty event id');
  const account = ctx.text(
    asText(value.loyalty_account_id),
    `${at}/loyalty_account_id`,
    'loyalty account id',
  );
  const occurredAt = ctx.timestamp(value.created_at, `${at}/created_at`);
  const type = asText(value.type) ?? '';
  const route = ROUTES[type];
  if (!route)
    ctx.error('square.loyalty_type_unknown', `${at}/type`, `loyalty event type "${type}" is not known`);
  const details: JsonObject | undefined =
    route && isObject(value[route.details]) ? (value[route.details] as JsonObject) : undefined;
  if (route && !details)
    ctx.error('field.missing', `${at}/${route.details}`, `the ${type} details are missing`);
  let points = 0;
  if (route && details && route.points !== 'none') {
    const text = asText(details.points);
    const pointer = `${at}/${route.details}/points`;
    if (text === undefined || !/^-?\d+$/.test(text.trim()))
      ctx.error('points.invalid', pointer, 'points must be a whole number');
    else {
      points = Number(text);
      if (!Number.isSafeInteger(points))
        ctx.error('points.invalid', pointer, 'points are beyond the exact range');
      if (route.points === 'out') points = -Math.abs(points);
      if (route.points === 'in') points = Math.abs(points);
    }
  }
  if (ctx.failed || !id || !account || !occurredAt || !route || !details)
    return { ok: false, problems: ctx.problems };

  const data: LoyaltyEvent = {
    kind: route.kind,
    accountId: account,
    points: points || 0,
    occurredAt,
    source: squareSource(
      value,
      [
        ['square.loyalty_event', 'id'],
        ['square.loyalty_account', 'loyalty_account_id'],
        ['square.location', 'location_id'],
      ],
      ['created_at'],
      webhook,
    ),
  };
  const program = asText(details.loyalty_program_id);
  if (program) data.programId = program;
  const reward = asText(details.reward_id);
  const promotion = asText(details.loyalty_promotion_id);
  const reason =
    asText(details.reason) ??
    (route.reason && reward ? `${route.reason} (${reward})` : route.reason) ??
    (promotion ? `promotion ${promotion}` : undefined);
  if (reason) data.reason = reason;
  const orderId = asText(details.order_id);
  if (orderId) data.transaction = { ids: [{ scheme: 'square.order', value: orderId }] };
  const storeId = squareStoreId(asText(value.location_id), options);
  const event = makeEvent(LOYALTY_EVENT_TYPE[route.kind], data, {
    source: `/square/stores/${storeId}`,
    subject: storeId,
    identity: id,
    time: eventTime(occurredAt),
  });
  return { ok: true, event, warnings: ctx.warnings, unit: at };
}
