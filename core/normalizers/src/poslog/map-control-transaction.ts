import type { CanonicalEvent, ControlTransaction, Money } from '@poshub/model';
import { makeEvent } from '@poshub/model';
import type { MapContext } from '../map-context.ts';
import type { NormalizeOptions } from '../normalizer.ts';
import { eventTime } from '../timestamp.ts';
import { readCurrency, type TransactionHeader } from './read-header.ts';
import { readMoney } from './read-money.ts';
import { withSign } from './signed-money.ts';
import { childText, descendant, type XmlElement } from './xml-element.ts';

type Action = ControlTransaction['action'];

// Element names of ARTS ControlTransaction / TenderControlTransaction bodies, and names producers use.
const ACTIONS: ReadonlyArray<[RegExp, Action]> = [
  [/sign.?on|log.?on|login/i, 'sign_on'],
  [/sign.?off|log.?off|logout/i, 'sign_off'],
  [/no.?sale/i, 'no_sale'],
  [/suspend/i, 'suspend'],
  [/resume|retrieve/i, 'resume'],
  [/paid.?in|pay.?in/i, 'paid_in'],
  [/paid.?out|pay.?out/i, 'paid_out'],
  [/(till|workstation|drawer|register).?open|open.?(till|workstation|drawer|register)/i, 'till_open'],
  [
    /(till|workstation|drawer|register).?(close|settle)|(close|settle).?(till|workstation|drawer|register)/i,
    'till_close',
  ],
  [/(business.?day|store).?(open|start)|start.?of.?day|open.?business.?day/i, 'business_day_open'],
];

// Children of a control body that describe it rather than name what happened.
const NOT_ACTIONS = new Set(['ReasonCode', 'Reason', 'Description', 'OperatorID', 'SequenceNumber']);

/** The canonical action of a control body element name; "other" when not recognised. */
export function controlActionOf(name: string): Action {
  for (const [pattern, action] of ACTIONS) if (pattern.test(name)) return action;
  return 'other';
}

/** A control.recorded.v1 event for a transaction header. */
export function controlEvent(
  header: TransactionHeader,
  action: Action,
  extra: { amount?: Money | undefined; reason?: string | undefined } = {},
): CanonicalEvent {
  const data: ControlTransaction = {
    action,
    trainingMode: header.trainingMode,
    key: header.key,
    occurredAt: header.occurredAt,
    source: header.source,
  };
  if (header.operator) data.operator = header.operator;
  if (extra.amount) data.amount = extra.amount;
  if (extra.reason) data.reason = extra.reason;
  return makeEvent('control.recorded.v1', data, {
    source: header.eventSource,
    subject: header.key.storeId,
    identity: header.identity,
    time: eventTime(header.occurredAt),
  });
}

/**
 * Maps a ControlTransaction or TenderControlTransaction (sign-on/off, no-sale, suspend/resume, till
 * open/close, paid in/out, loans and pickups...) to a control.recorded.v1 event: recognised and recorded,
 * never financial. The action comes from the body's child element; an amount, when there is one, is
 * signed as it affects the till (paid out is negative).
 */
export function mapControlTransaction(
  ctx: MapContext,
  txn: XmlElement,
  body: XmlElement,
  header: TransactionHeader,
  options: NormalizeOptions,
): CanonicalEvent | undefined {
  const candidates = body.children.filter((c) => !NOT_ACTIONS.has(c.name));
  const actionEl = candidates.find((c) => controlActionOf(c.name) !== 'other') ?? candidates[0];
  const action = actionEl ? controlActionOf(actionEl.name) : 'other';
  const reason =
    childText(body, 'ReasonCode') ??
    childText(actionEl, 'ReasonCode') ??
    childText(actionEl, 'Reason') ??
    (action === 'other' ? (actionEl?.name ?? body.name) : undefined);
  const amountEl = descendant(actionEl, 'Amount');
  let amount: Money | undefined;
  if (amountEl) {
    const currency = readCurrency(ctx, txn, options);
    const written = currency ? readMoney(ctx, amountEl, currency) : undefined;
    if (written) {
      amount =
        action === 'paid_out' ? withSign(written, -1) : action === 'paid_in' ? withSign(written, 1) : written;
    }
  }
  if (ctx.failed) return undefined;
  return controlEvent(header, action, { amount, reason });
}
