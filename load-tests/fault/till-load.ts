import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const SALE = JSON.parse(
  readFileSync(
    join(import.meta.dirname, '..', '..', 'core/normalizers/fixtures/canonical/sale-two-lines.json'),
    'utf8',
  ),
);

/** One sale the hub answered 2xx for: committed, so it must reach every connector. */
export interface AcceptedSale {
  eventId: string;
  storeId: string;
  sequence: number;
  /** ms from the first post of this sale to its 2xx. */
  latencyMs: number;
  /** Times it was posted (1 = first try). */
  tries: number;
}

/** What the tills did. */
export interface TillReport {
  accepted: AcceptedSale[];
  /** Sales given up on (no 2xx within `giveUpMs`). */
  abandoned: string[];
  /** 4xx answers other than 409/429, which a correct till never gets: a bug if not 0. */
  refused: Array<{ eventId: string; status: number; body: string }>;
  retries: number;
  elapsedMs: number;
}

/** A canonical sale of one till: a unique id and business key, the fixture's lines and totals. */
export function saleFor(runId: string, storeId: string, sequence: number): Record<string, unknown> {
  const sale = structuredClone(SALE);
  sale.id = `fault-${runId}-${storeId}-${sequence}`;
  sale.source = `/pos/stores/${storeId}`;
  sale.subject = storeId;
  sale.data.key = { storeId, workstationId: '01', businessDay: '2026-03-14', sequence: String(sequence) };
  sale.data.receiptNumber = `${storeId}-01-${sequence}`;
  return sale;
}

/**
 * Tills posting sales at a steady overall rate, one till per store posting one sale at a time (so a store's
 * commit order is its sequence order). Like a real till it keeps a sale until the hub answers 2xx,
 * retrying with the same Idempotency-Key through connection errors, 5xx, 429 and 409 (in flight), so a
 * sale whose answer was lost in a crash is either replayed or created, never doubled.
 */
export async function runTills(options: {
  url: () => string;
  token: string;
  runId: string;
  stores: number;
  sales: number;
  ratePerSecond: number;
  giveUpMs?: number;
  onAccepted?: (count: number) => void;
}): Promise<TillReport> {
  const report: TillReport = { accepted: [], abandoned: [], refused: [], retries: 0, elapsedMs: 0 };
  const started = Date.now();
  const giveUpMs = options.giveUpMs ?? 120_000;
  const stores = Array.from({ length: options.stores }, (_, i) => `F${String(i + 1).padStart(3, '0')}`);
  const till = async (storeIndex: number) => {
    const storeId = stores[storeIndex]!;
    let sequence = 0;
    // Sale i of the whole run is due at i / rate; this till takes every stores-th one.
    for (let i = storeIndex; i < options.sales; i += options.stores) {
      const due = started + (i * 1000) / options.ratePerSecond;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      sequence++;
      const sale = saleFor(options.runId, storeId, sequence);
      const body = JSON.stringify(sale);
      const first = Date.now();
      for (let tries = 1; ; tries++) {
        let status = 0;
        let text = '';
        try {
          const res = await fetch(`${options.url()}/v1/transactions`, {
            method: 'POST',
            headers: {
              authorization: `Bearer ${options.token}`,
              'content-type': 'application/json',
              'idempotency-key': sale.id as string,
            },
            body,
            signal: AbortSignal.timeout(10_000),
          });
          status = res.status;
          text = await res.text();
        } catch {
          status = 0;
        }
        if (status === 200 || status === 201) {
          report.accepted.push({
            eventId: sale.id as string,
            storeId,
            sequence,
            latencyMs: Date.now() - first,
            tries,
          });
          options.onAccepted?.(report.accepted.length);
          break;
        }
        if (status >= 400 && status < 500 && status !== 409 && status !== 429) {
          report.refused.push({ eventId: sale.id as string, status, body: text.slice(0, 300) });
          break;
        }
        if (Date.now() - first > giveUpMs) {
          report.abandoned.push(sale.id as string);
          break;
        }
        report.retries++;
        await new Promise((r) => setTimeout(r, Math.min(1_000, 50 * 2 ** Math.min(tries, 5))));
      }
    }
  };
  await Promise.all(stores.map((_, i) => till(i)));
  report.elapsedMs = Date.now() - started;
  return report;
}
