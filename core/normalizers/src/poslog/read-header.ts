import type { ExternalId, SourceInfo, Timestamp, TransactionKey } from '@poshub/model';
import { IsoDate, naturalKeyText } from '@poshub/model';
import type { MapContext } from '../map-context.ts';
import type { NormalizeOptions } from '../normalizer.ts';
import { derivedBusinessDay } from '../timestamp.ts';
import type { PoslogDocumentInfo } from './stream-poslog.ts';
import {
  attr,
  child,
  childrenNamed,
  childText,
  flag,
  pointerBelow,
  pointerOf,
  type XmlElement,
} from './xml-element.ts';

/** What every POSLog transaction carries before its body: identity, clocks, operator, source ids. */
export interface TransactionHeader {
  key: TransactionKey;
  /** Natural identity for the event id: store|workstation|business day|sequence. */
  identity: string;
  occurredAt: Timestamp;
  startedAt: Timestamp | undefined;
  operator: { id: string; name?: string } | undefined;
  receiptNumber: string | undefined;
  trainingMode: boolean;
  source: SourceInfo;
  /** CloudEvents source: "/<system>/stores/<store>". */
  eventSource: string;
}

const TIMESTAMP_FIELDS = ['BeginDateTime', 'EndDateTime', 'POSLogDateTime'] as const;
const BODY_TIMESTAMP_FIELDS = ['ReceiptDateTime'] as const;

/** A business day as POSLog writes it: a date, sometimes with a time part that carries no meaning. */
export function readBusinessDay(ctx: MapContext, el: XmlElement | undefined, pointer: string) {
  const text = el?.text.trim();
  if (!text) return undefined;
  const day = /^(\d{4}-\d{2}-\d{2})(?:$|T)/.exec(text)?.[1];
  if (!day || !IsoDate.safeParse(day).success) {
    return ctx.error('date.invalid', el ? pointerOf(el) : pointer, `"${text}" is not a business day date`);
  }
  return day;
}

function rawTimestamps(txn: XmlElement, body: XmlElement | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const collect = (el: XmlElement | undefined, names: readonly string[]) => {
    for (const name of names) {
      for (const found of childrenNamed(el, name)) {
        const type = attr(found, 'TypeCode');
        const key = type ? `${name}.${type}` : name;
        const text = found.text.trim();
        if (text && !(key in out)) out[key] = text;
      }
    }
  };
  collect(txn, TIMESTAMP_FIELDS);
  collect(body, BODY_TIMESTAMP_FIELDS);
  return out;
}

function sourceIds(txn: XmlElement, body: XmlElement | undefined): ExternalId[] {
  const ids: ExternalId[] = [];
  for (const name of ['TransactionID', 'ReceiptNumber', 'TillID']) {
    const value = childText(txn, name) ?? childText(body, name);
    if (value) ids.push({ scheme: `poslog.${name}`, value });
  }
  return ids;
}

/**
 * Reads a transaction's header: the ARTS natural key (RetailStoreID or BusinessUnit/UnitID, WorkstationID,
 * BusinessDayDate, SequenceNumber), its times, operator and every source id. Records a problem for each
 * missing key part and returns undefined when the transaction cannot be identified.
 */
export function readHeader(
  ctx: MapContext,
  txn: XmlElement,
  body: XmlElement | undefined,
  doc: PoslogDocumentInfo,
  options: NormalizeOptions,
): TransactionHeader | undefined {
  const storeId =
    childText(txn, 'RetailStoreID') ??
    childText(txn, 'BusinessUnit', 'UnitID') ??
    doc.rootFields.get('RetailStoreID') ??
    options.storeId;
  if (!storeId) ctx.error('field.missing', pointerBelow(txn, 'RetailStoreID'), 'RetailStoreID is missing');
  const workstationId = ctx.text(
    childText(txn, 'WorkstationID'),
    pointerBelow(txn, 'WorkstationID'),
    'WorkstationID',
  );
  const sequence = ctx.text(
    childText(txn, 'SequenceNumber'),
    pointerBelow(txn, 'SequenceNumber'),
    'SequenceNumber',
  );

  const end = child(txn, 'EndDateTime') ?? child(body, 'ReceiptDateTime') ?? child(txn, 'BeginDateTime');
  const occurredAt = end
    ? ctx.timestamp(end.text, pointerOf(end))
    : ctx.error('time.missing', pointerBelow(txn, 'EndDateTime'), 'EndDateTime is missing');
  const begin = child(txn, 'BeginDateTime');
  const startedAt = begin && begin !== end ? ctx.timestamp(begin.text, pointerOf(begin)) : undefined;

  const dayEl = child(txn, 'BusinessDayDate');
  let businessDay = readBusinessDay(ctx, dayEl, pointerBelow(txn, 'BusinessDayDate'));
  let businessDaySource: TransactionKey['businessDaySource'] = 'source';
  if (!dayEl) {
    const rootDay = doc.rootFields.get('BusinessDayDate');
    if (rootDay && IsoDate.safeParse(rootDay.slice(0, 10)).success) {
      businessDay = rootDay.slice(0, 10);
    } else if (occurredAt) {
      // ARTS makes BusinessDayDate mandatory; without it the store's date at the till is the best guess.
      businessDay = derivedBusinessDay(occurredAt, options.timeZone);
      businessDaySource = 'derived';
      ctx.warn(
        'poslog.business_day_derived',
        pointerBelow(txn, 'BusinessDayDate'),
        `BusinessDayDate is missing: derived ${businessDay} from the transaction time`,
      );
    } else {
      ctx.error('field.missing', pointerBelow(txn, 'BusinessDayDate'), 'BusinessDayDate is missing');
    }
  }
  if (!storeId || !workstationId || !sequence || !businessDay || !occurredAt) return undefined;

  const operatorEl = child(txn, 'OperatorID');
  const operatorId = operatorEl?.text.trim();
  const operatorName = attr(operatorEl, 'OperatorName')?.trim() || childText(txn, 'OperatorName');
  const version = doc.version ?? attr(body, 'Version')?.trim();
  const receiptNumber = childText(txn, 'ReceiptNumber') ?? childText(body, 'ReceiptNumber');
  const trainingMode =
    flag(txn, 'TrainingModeFlag', 'TrainingFlag') ?? flag(body, 'TrainingModeFlag', 'TrainingFlag');

  return {
    key: { storeId, workstationId, businessDay, sequence, businessDaySource },
    identity: naturalKeyText({ storeId, workstationId, businessDay, sequence }),
    occurredAt,
    startedAt,
    operator: operatorId ? { id: operatorId, ...(operatorName ? { name: operatorName } : {}) } : undefined,
    receiptNumber,
    trainingMode: trainingMode ?? false,
    source: {
      system: doc.system,
      format: version ? `poslog-${version}` : 'poslog',
      ids: sourceIds(txn, body),
      timestamps: rawTimestamps(txn, body),
    },
    eventSource: `/${doc.system}/stores/${storeId}`,
  };
}

/**
 * The transaction's currency: CurrencyCode, else the first per-amount `Currency` attribute, else the
 * caller's `currency` option. Records a problem when none is known.
 */
export function readCurrency(
  ctx: MapContext,
  txn: XmlElement,
  options: NormalizeOptions,
): string | undefined {
  const codeEl = child(txn, 'CurrencyCode');
  const stated = codeEl?.text.trim() || firstCurrencyAttribute(txn);
  return ctx.currency(
    stated,
    codeEl ? pointerOf(codeEl) : pointerBelow(txn, 'CurrencyCode'),
    options.currency,
  );
}

function firstCurrencyAttribute(el: XmlElement): string | undefined {
  const own = attr(el, 'Currency')?.trim();
  if (own) return own;
  for (const c of el.children) {
    const found = firstCurrencyAttribute(c);
    if (found) return found;
  }
  return undefined;
}
