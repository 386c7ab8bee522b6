/**
 * Where an export of one store's business day stands. The snapshot is every journal event whose outbox id
 * is at most `bound` (fixed at the first page: see openExportSnapshot); the export walks it in outbox id
 * order, and `after` is the outbox id of the last event sent.
 */
export interface ExportPosition {
  storeId: string;
  businessDay: string;
  /** Highest outbox id in the snapshot (decimal text: ids are bigint). */
  bound: string;
  /** Outbox id of the last event sent; below the day's first event before the first page. */
  after: string;
  /** Events in the snapshot. */
  total: number;
  /** Events sent before `after` (inclusive). */
  sent: number;
}

const ID = /^\d{1,19}$/;

/** The position as an opaque cursor (base64url JSON: clients must not read it, the hub checks it). */
export function encodeExportCursor(p: ExportPosition): string {
  const doc = { v: 1, s: p.storeId, d: p.businessDay, b: p.bound, a: p.after, n: p.total, i: p.sent };
  return Buffer.from(JSON.stringify(doc)).toString('base64url');
}

/** The position a cursor names, or undefined when it is not one of ours. */
export function decodeExportCursor(cursor: string): ExportPosition | undefined {
  if (cursor.length > 1000 || !/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const { v, s, d, b, a, n, i } = doc ?? {};
  if (v !== 1 || typeof s !== 'string' || typeof d !== 'string') return undefined;
  if (typeof b !== 'string' || !ID.test(b) || typeof a !== 'string' || !ID.test(a)) return undefined;
  if (!Number.isSafeInteger(n) || !Number.isSafeInteger(i) || (n as number) < 0 || (i as number) < 0)
    return undefined;
  return { storeId: s, businessDay: d, bound: b, after: a, total: n as number, sent: i as number };
}
