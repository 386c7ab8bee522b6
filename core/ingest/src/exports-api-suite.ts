import type { DeliveryTarget } from '@poshub/dispatch';
import { type CanonicalEvent, makeEvent, type RetailTransaction } from '@poshub/model';
import { describe, expect, it } from 'vitest';

// One suite for the sales journal export, the day summary and end-of-day reconciliation, run by
// exports-api.test.ts (PGlite, development issuer) and exports-api-postgres.test.ts (PostgreSQL, the local
// OAuth2 issuer), through the real HTTP server.

/** A running hub and the tokens the suite needs. */
export interface ExportsHarness {
  url: string;
  /** erp:batch, any store. */
  erp: string;
  /** admin:read and admin:write. */
  admin: string;
  /** pos:write only, any store. */
  till: string;
  /** erp:batch limited to store 0042; undefined when the issuer has no such client. */
  storeErp?: string | undefined;
  /** Every reconciliation event the hub dispatched to the recording connector. */
  received: CanonicalEvent[];
  /**
   * Inserts an event and its outbox row in a transaction left open (as a commit still running), and
   * resolves once it is in; the function it returns commits it. Undefined where no second session exists.
   */
  openTransaction?: (event: CanonicalEvent) => Promise<() => Promise<void>>;
  /** Starts watching for an export that waits for running transactions: the probe says once one does. */
  watchExportWait?: () => Promise<() => Promise<boolean>>;
}

/** A connector that records every reconciliation result it is given. */
export function recordingReconciliationTarget(received: CanonicalEvent[]): DeliveryTarget {
  return {
    id: 'test-reconciliation-recorder',
    types: ['business_day.reconciled.v1'],
    maxInFlight: 4,
    async handle(event) {
      received.push(event);
      return { ok: true };
    },
  };
}

const eur = (minor: number) => ({ minor, currency: 'EUR', exponent: 2 });

/** A line: its amount, an optional discount and a VAT (included in the price) with its rate. */
interface LineSpec {
  amount: number;
  discount?: number;
  vat?: { rate: string; tax: number };
}

/** A canonical retail transaction at `ws`/`seq`; the total is what the lines come to (VAT included). */
function retail(
  kind: RetailTransaction['kind'],
  at: { store: string; day: string; ws: string; seq: string },
  lines: LineSpec[],
  tenders: Array<{ type: 'card' | 'cash'; minor: number; change?: number }> | 'card',
  extra: { training?: boolean; voids?: { ws: string; seq: string } } = {},
): CanonicalEvent {
  const total = lines.reduce((n, l) => n + l.amount + (l.discount ?? 0), 0);
  const data = {
    kind,
    trainingMode: extra.training ?? false,
    key: { storeId: at.store, workstationId: at.ws, businessDay: at.day, sequence: at.seq },
    currency: 'EUR',
    occurredAt: { raw: `${at.day}T12:00:00+01:00`, utc: `${at.day}T11:00:00.000Z`, source: 'explicit' },
    lines: lines.map((l, i) => ({
      lineNumber: String(i + 1),
      direction: l.amount < 0 ? 'return' : 'sale',
      item: { sku: `SKU-${i + 1}` },
      quantity: l.amount < 0 ? '-1' : '1',
      extendedAmount: eur(l.amount),
      discounts: l.discount ? [{ kind: 'amount', amount: eur(l.discount) }] : [],
      taxes: l.vat ? [{ rate: l.vat.rate, amount: eur(l.vat.tax), included: true }] : [],
    })),
    tenders: (tenders === 'card' ? [{ type: 'card' as const, minor: total }] : tenders).map((t) => ({
      type: t.type,
      amount: eur(t.minor),
      ...(t.change ? { change: eur(t.change) } : {}),
      ...(t.minor < 0 ? { purpose: 'refund' } : {}),
    })),
    total: eur(total),
    links: extra.voids
      ? [{ kind: 'post_void', key: { workstationId: extra.voids.ws, sequence: extra.voids.seq } }]
      : [],
    source: { system: 'test-pos', format: 'canonical' },
  };
  const type = {
    sale: 'sale.completed.v1',
    return: 'return.completed.v1',
    exchange: 'exchange.completed.v1',
    void: 'transaction.voided.v1',
    post_void: 'transaction.post_voided.v1',
  } as const;
  return makeEvent(type[kind], data as never, {
    source: `/test-pos/${at.store}`,
    subject: at.store,
    identity: `${at.store}|${at.ws}|${at.day}|${at.seq}`,
  });
}

/** A plain card sale of `minor` cents, VAT 20 % included. */
const sale = (at: { store: string; day: string; ws: string; seq: string }, minor = 1200) =>
  retail('sale', at, [{ amount: minor, vat: { rate: '20', tax: Math.round(minor / 6) } }], 'card');

/** A till's business-day close with its own totals. */
function close(
  at: { store: string; day: string; ws?: string },
  till: {
    count: number;
    first?: string;
    last?: string;
    grand: number;
    returns?: number;
    tenders?: Array<[string, number]>;
  },
  closedAt = '22:00:00',
): CanonicalEvent {
  return makeEvent(
    'business_day.closed.v1',
    {
      storeId: at.store,
      ...(at.ws ? { workstationId: at.ws } : {}),
      businessDay: at.day,
      closedAt: { raw: `${at.day}T${closedAt}+01:00`, source: 'explicit' },
      tillTotals: {
        transactionCount: till.count,
        ...(till.first ? { firstSequence: till.first } : {}),
        ...(till.last ? { lastSequence: till.last } : {}),
        grandTotal: eur(till.grand),
        ...(till.returns !== undefined ? { returnsTotal: eur(till.returns) } : {}),
        byTender: (till.tenders ?? []).map(([type, minor]) => ({ type, amount: eur(minor) })),
      },
      source: { system: 'test-pos', format: 'canonical', ids: [], timestamps: {} },
    },
    {
      source: `/test-pos/${at.store}`,
      subject: at.store,
      identity: `close|${at.ws ?? '*'}|${at.day}|${closedAt}`,
    },
  );
}

async function eventually<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('not within time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

type Page = { status: number; headers: Headers; events: CanonicalEvent[]; next: string | undefined };
type Reconciliation = {
  version: number;
  status: string;
  eventId: string;
  workstationId?: string;
  received: { transactionCount: number; grandTotal: { minor: number } };
  missing: Array<{ workstationId: string; sequences: string[] }>;
  differences: Array<{ code: string }>;
};

let runId = 0;
const run = `${process.pid.toString(36)}${Date.now().toString(36)}`;
/** A store no other test (nor an earlier run on the same database) used. */
const freshStore = (tag: string) => `${tag}-${run}-${++runId}`;

/** Runs the exports and reconciliation suite against the hub `harness()` gives. */
export function describeExportsApi(name: string, harness: () => ExportsHarness) {
  describe(`sales journal export, day summary and reconciliation (${name})`, () => {
    const h = () => harness();
    const get = (path: string, token = h().erp) =>
      fetch(`${h().url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const post = async (events: CanonicalEvent[], key?: string) => {
      const res = await fetch(`${h().url}/v1/ingest/canonical`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${h().till}`,
          'content-type': 'application/json',
          ...(key ? { 'idempotency-key': key } : {}),
        },
        body: JSON.stringify(events.length === 1 ? events[0] : events),
      });
      const body = (await res.json()) as { accepted: number; results: Array<{ status: number }> };
      expect(res.status, JSON.stringify(body)).toBe(200);
      return body;
    };
    const page = async (path: string, token?: string): Promise<Page> => {
      const res = await get(path, token);
      const text = await res.text();
      const link = res.headers.get('link');
      return {
        status: res.status,
        headers: res.headers,
        events:
          res.status === 200
            ? text
                .split('\n')
                .filter(Boolean)
                .map((l) => JSON.parse(l))
            : [],
        next: link ? /<([^>]+)>; rel="next"/.exec(link)?.[1] : undefined,
      };
    };
    /** Every page of an export from `path` on, following the Link headers. */
    const exportAll = async (path: string) => {
      const events: CanonicalEvent[] = [];
      for (let next: string | undefined = path; next; ) {
        const p = await page(next);
        expect(p.status).toBe(200);
        expect(p.events).toHaveLength(Number(p.headers.get('poshub-export-count')));
        events.push(...p.events);
        next = p.next;
      }
      return events;
    };
    const seqs = (events: CanonicalEvent[]) =>
      events.map((e) => (e.data as { key: { sequence: string } }).key.sequence);
    const reconciliation = async (store: string, day: string, token = h().admin) => {
      const res = await get(`/v1/stores/${store}/business-days/${day}/reconciliation`, token);
      return {
        status: res.status,
        body: (await res.json()) as { status: string; results: Reconciliation[] },
      };
    };
    const mismatches = async () => {
      const text = await (await fetch(`${h().url}/metrics`)).text();
      return Number(/^poshub_reconciliation_mismatches_total (\d+)/m.exec(text)?.[1] ?? 0);
    };

    it('exports the snapshot of the first page while sales keep arriving, in received order, resumable from any cursor', async () => {
      const store = freshStore('E');
      const day = '2026-03-14';
      const at = (seq: number) => ({ store, day, ws: '01', seq: String(seq) });
      await post(Array.from({ length: 30 }, (_, i) => sale(at(i + 1))));

      const first = await page(`/v1/exports/sales?store=${store}&businessDay=${day}&limit=10`);
      expect(first.status).toBe(200);
      expect(first.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
      expect(first.headers.get('poshub-export-total')).toBe('30');
      expect(seqs(first.events)).toEqual(Array.from({ length: 10 }, (_, i) => String(i + 1)));
      expect(first.next).toBeDefined();

      // Twenty more sales for the same day arrive mid-export, and another day's.
      await post(Array.from({ length: 20 }, (_, i) => sale(at(31 + i))));
      await post([sale({ store, day: '2026-03-15', ws: '01', seq: '1' })]);

      const rest = await exportAll(first.next!);
      expect(seqs([...first.events, ...rest])).toEqual(Array.from({ length: 30 }, (_, i) => String(i + 1)));

      // A page fetched again from its cursor is the same page; a summary of the export's snapshot counts 30.
      const again = await page(first.next!);
      expect(again.events.map((e) => e.id)).toEqual(rest.slice(0, 10).map((e) => e.id));
      const cursor = first.headers.get('poshub-export-cursor')!;
      const held = (await (
        await get(`/v1/exports/sales/summary?store=${store}&businessDay=${day}&snapshot=${cursor}`)
      ).json()) as { events: number; takings: Array<{ minor: number }> };
      expect(held.events).toBe(30);
      expect(held.takings).toEqual([eur(30 * 1200)]);

      // A new export sees all fifty, in the order received.
      const fresh = await exportAll(`/v1/exports/sales?store=${store}&businessDay=${day}&limit=7`);
      expect(seqs(fresh)).toEqual(Array.from({ length: 50 }, (_, i) => String(i + 1)));
      expect(fresh[0]!.id).toBe(sale(at(1)).id);
    });

    it('keeps one streamed page to its snapshot while sales for the day are posted during the download', async () => {
      const store = freshStore('S');
      const day = '2026-03-14';
      const at = (seq: number) => ({ store, day, ws: '02', seq: String(seq) });
      await post(Array.from({ length: 600 }, (_, i) => sale(at(i + 1), 100 + i)));
      const res = await get(`/v1/exports/sales?store=${store}&businessDay=${day}&limit=10000`);
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      const firstChunk = await reader.read();
      let text = decoder.decode(firstChunk.value, { stream: true });
      await post(Array.from({ length: 50 }, (_, i) => sale(at(601 + i))));
      for (;;) {
        const chunk = await reader.read();
        if (chunk.done) break;
        text += decoder.decode(chunk.value, { stream: true });
      }
      const events = text
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as CanonicalEvent);
      expect(res.headers.get('link')).toBeNull();
      // 600 sales in one request may commit as two groups side by side: the order is the hub's, the set the snapshot's.
      expect(
        seqs(events)
          .map(Number)
          .sort((a, b) => a - b),
      ).toEqual(Array.from({ length: 600 }, (_, i) => i + 1));
    });

    it('waits for a commit still running at the first page, so every page of the export sees the same events', async (ctx) => {
      const open = h().openTransaction;
      const watch = h().watchExportWait;
      if (!open || !watch) {
        ctx.skip(true, 'PGlite has one session: no other transaction can be running when an export starts');
        return;
      }
      const store = freshStore('W');
      const day = '2026-03-14';
      const commit = await open(sale({ store, day, ws: '01', seq: '1' }));
      await post([sale({ store, day, ws: '01', seq: '2' })]);
      const waiting = await watch();
      let answered = false;
      const first = page(`/v1/exports/sales?store=${store}&businessDay=${day}&limit=1`).finally(() => {
        answered = true;
      });
      // Committed once the export waits for it (an export that did not wait has answered already).
      await eventually(async () => (answered || (await waiting()) ? true : undefined));
      await commit();
      const p = await first;
      expect(p.status).toBe(200);
      expect(p.headers.get('poshub-export-total')).toBe('2');
      expect(seqs(p.events)).toEqual(['1']);
      expect(seqs(await exportAll(p.next!))).toEqual(['2']);
    });

    it('sums a day by hand-checked fixtures: tax rates, tenders, returns, discounts, voids and post-voids, in minor units', async () => {
      const store = freshStore('T');
      const day = '2026-03-14';
      const at = (ws: string, seq: string) => ({ store, day, ws, seq });
      await post([
        // 22.55: 12.00 at 20 % (2.00 VAT inside) + 10.55 at 5.5 % (0.55 inside), by card.
        retail(
          'sale',
          at('01', '1'),
          [
            { amount: 1200, vat: { rate: '20', tax: 200 } },
            { amount: 1055, vat: { rate: '5.5', tax: 55 } },
          ],
          'card',
        ),
        // 24.00 less a 2.40 discount = 21.60 (3.60 VAT inside), 22.00 cash with 0.40 change.
        retail(
          'sale',
          at('01', '2'),
          [{ amount: 2400, discount: -240, vat: { rate: '20.0', tax: 360 } }],
          [{ type: 'cash', minor: 2200, change: 40 }],
        ),
        // A 12.00 return at 20 %, refunded to the card.
        retail(
          'return',
          at('01', '3'),
          [{ amount: -1200, vat: { rate: '20', tax: -200 } }],
          [{ type: 'card', minor: -1200 }],
        ),
        // An exchange: 10.55 at 5.5 % back, 12.00 at 20 % out, 1.45 paid in cash.
        retail(
          'exchange',
          at('02', '1'),
          [
            { amount: -1055, vat: { rate: '5.5', tax: -55 } },
            { amount: 1200, vat: { rate: '20', tax: 200 } },
          ],
          [{ type: 'cash', minor: 145 }],
        ),
        // Cancelled before completion: counted, never takings.
        retail('void', at('02', '2'), [{ amount: 999, vat: { rate: '20', tax: 167 } }], []),
        // A 6.00 sale, post-voided by the next transaction: counted, neither is takings.
        retail('sale', at('02', '3'), [{ amount: 600, vat: { rate: '20', tax: 100 } }], 'card'),
        retail('post_void', at('02', '4'), [{ amount: 600, vat: { rate: '20', tax: 100 } }], 'card', {
          voids: { ws: '02', seq: '3' },
        }),
        // Training: stored, never exported nor summed.
        retail('sale', at('01', '4'), [{ amount: 5000, vat: { rate: '20', tax: 833 } }], 'card', {
          training: true,
        }),
      ]);
      const res = await get(`/v1/exports/sales/summary?store=${store}&businessDay=${day}`);
      expect(res.status).toBe(200);
      const summary = await res.json();
      expect(summary).toEqual({
        storeId: store,
        businessDay: day,
        snapshot: expect.any(String),
        events: 7,
        transactions: { sale: 3, return: 1, exchange: 1, void: 1, post_void: 1, postVoided: 1 },
        // 22.55 + 21.60 - 12.00 + 1.45
        takings: [eur(3360)],
        byTaxRate: [
          // 0.55 - 0.55 on 10.00 - 10.00.
          { rate: '5.5', code: null, included: true, taxable: eur(0), tax: eur(0), taxableComplete: true },
          // VAT 2.00 + 3.60 - 2.00 + 2.00 on bases 10.00 + 18.00 - 10.00 + 10.00 ("20.0" is rate 20).
          {
            rate: '20',
            code: null,
            included: true,
            taxable: eur(2800),
            tax: eur(560),
            taxableComplete: true,
          },
        ],
        byTender: [
          // 22.55 - 12.00 by card; 22.00 - 0.40 + 1.45 in cash.
          { type: 'card', amount: eur(1055), count: 2 },
          { type: 'cash', amount: eur(2305), count: 2 },
        ],
        returns: { count: 1, total: [eur(-1200)] },
        discounts: [{ kind: 'amount', amount: eur(-240), count: 1 }],
        voids: { count: 1, total: [eur(999)] },
        postVoids: { count: 1, total: [eur(600)] },
      });

      // The export holds the same seven, training left out.
      const events = await exportAll(`/v1/exports/sales?store=${store}&businessDay=${day}`);
      expect(events).toHaveLength(7);
      expect(events.some((e) => (e.data as { trainingMode: boolean }).trainingMode)).toBe(false);
    });

    it('reconciles a close that misses a sequence number, alerts, and a late transaction closing the gap updates the result', async () => {
      const store = freshStore('R');
      const day = '2026-03-14';
      const at = (seq: string) => ({ store, day, ws: '03', seq });
      const before = await mismatches();
      await post(['1', '2', '4', '5'].map((s) => sale(at(s), 1000)));
      const tillClose = close(
        { store, day, ws: '03' },
        { count: 5, first: '1', last: '5', grand: 5000, returns: 0, tenders: [['card', 5000]] },
      );
      const closed = await post([tillClose], `close-${store}`);
      expect(closed.accepted).toBe(1);

      const first = await reconciliation(store, day);
      expect(first.status).toBe(200);
      expect(first.body.status).toBe('mismatched');
      const r1 = first.body.results[0]!;
      expect(r1).toMatchObject({
        workstationId: '03',
        version: 1,
        status: 'mismatched',
        received: { transactionCount: 4, grandTotal: eur(4000) },
        missing: [{ workstationId: '03', sequences: ['3'] }],
      });
      expect(r1.differences.map((d) => d.code)).toEqual([
        'transaction_count',
        'grand_total',
        'tender_total',
        'missing_sequences',
      ]);
      expect(await mismatches()).toBe(before + 1);

      // The late transaction: the comparison runs again and the result matches.
      await post([sale(at('3'), 1000)]);
      const second = await reconciliation(store, day);
      expect(second.body.status).toBe('matched');
      expect(second.body.results[0]).toMatchObject({
        version: 2,
        status: 'matched',
        missing: [],
        differences: [],
      });
      expect(await mismatches()).toBe(before + 1);

      // The same close again, or an operator's re-run: same inputs, no new version, no new event.
      const resent = await post([tillClose], `close-${store}`);
      expect(resent.results[0]!.status).toBe(201);
      const rerun = await fetch(`${h().url}/v1/stores/${store}/business-days/${day}/reconciliation`, {
        method: 'POST',
        headers: { authorization: `Bearer ${h().admin}` },
      });
      expect(rerun.status).toBe(200);
      expect(((await rerun.json()) as { results: Reconciliation[] }).results[0]!.version).toBe(2);
      const third = await reconciliation(store, day);
      expect(third.body.results[0]!.version).toBe(2);

      // Connectors get both results as canonical events, through the outbox.
      const events = await eventually(() => {
        const mine = h().received.filter((e) => e.subject === store);
        return mine.length >= 2 ? mine : undefined;
      });
      expect(events.map((e) => [e.type, (e.data as { version: number }).version]).sort()).toEqual([
        ['business_day.reconciled.v1', 1],
        ['business_day.reconciled.v1', 2],
      ]);
      expect(events.map((e) => e.id).sort()).toEqual([r1.eventId, second.body.results[0]!.eventId].sort());
    });

    it('reconciles a store-wide close over every workstation, and a matching close alerts nothing', async () => {
      const store = freshStore('A');
      const day = '2026-03-14';
      const before = await mismatches();
      await post([
        sale({ store, day, ws: '01', seq: '1' }, 1000),
        sale({ store, day, ws: '01', seq: '2' }, 1000),
        retail(
          'return',
          { store, day, ws: '02', seq: '7' },
          [{ amount: -500 }],
          [{ type: 'cash', minor: -500 }],
        ),
      ]);
      await post([
        close(
          { store, day },
          {
            count: 3,
            grand: 1500,
            returns: -500,
            tenders: [
              ['card', 2000],
              ['cash', -500],
            ],
          },
        ),
      ]);
      const r = await reconciliation(store, day);
      expect(r.body.status).toBe('matched');
      expect(r.body.results).toHaveLength(1);
      expect(r.body.results[0]).toMatchObject({ version: 1, status: 'matched', differences: [] });
      expect(r.body.results[0]!.workstationId).toBeUndefined();
      expect(await mismatches()).toBe(before);
    });

    it('lets a client limited to some stores export only those', async (ctx) => {
      const token = h().storeErp;
      if (!token) {
        ctx.skip(
          true,
          'the local OAuth2 issuer has no erp:batch client limited to stores; the PGlite run covers it',
        );
        return;
      }
      const day = '2026-03-14';
      const own = await get(`/v1/exports/sales?store=0042&businessDay=${day}`, token);
      expect(own.status).toBe(200);
      await own.text();
      for (const path of ['/v1/exports/sales', '/v1/exports/sales/summary']) {
        const res = await get(`${path}?store=0043&businessDay=${day}`, token);
        expect(res.status).toBe(403);
        expect(((await res.json()) as { type: string }).type).toBe(
          'https://poshub.dev/problems/forbidden-store',
        );
      }
    });

    it('refuses bad inputs with problem+json and changes nothing; an unknown store exports nothing', async () => {
      const store = freshStore('B');
      const day = '2026-03-14';
      await post([sale({ store, day, ws: '01', seq: '1' }), sale({ store, day, ws: '01', seq: '3' })]);
      await post([close({ store, day, ws: '01' }, { count: 2, grand: 2400, first: '1', last: '3' })]);
      const before = await reconciliation(store, day);
      expect(before.body.results[0]!.version).toBe(1);

      const problems: Array<[string, string | undefined, number, string]> = [
        [`/v1/exports/sales?store=${store}&businessDay=14.03.2026`, undefined, 400, 'invalid-day'],
        [`/v1/exports/sales?store=${store}&businessDay=2026-02-30x`, undefined, 400, 'invalid-day'],
        [`/v1/exports/sales?businessDay=${day}`, undefined, 400, 'store-required'],
        [`/v1/exports/sales?store=${store}&businessDay=${day}&limit=0`, undefined, 400, 'invalid-limit'],
        [
          `/v1/exports/sales?store=${store}&businessDay=${day}&cursor=nonsense`,
          undefined,
          400,
          'invalid-cursor',
        ],
        [`/v1/exports/sales/summary?store=${store}&businessDay=2026-13-01`, undefined, 400, 'invalid-day'],
        [`/v1/exports/sales?store=${store}&businessDay=${day}`, h().till, 403, 'forbidden-scope'],
        [`/v1/exports/sales/summary?store=${store}&businessDay=${day}`, h().till, 403, 'forbidden-scope'],
        [`/v1/stores/${store}/business-days/${day}/reconciliation`, h().erp, 403, 'forbidden-scope'],
        [`/v1/stores/${store}/business-days/2026-3-14/reconciliation`, h().admin, 400, 'invalid-day'],
        [`/v1/stores/${store}/business-days/2026-03-13/reconciliation`, h().admin, 404, 'no-reconciliation'],
      ];
      for (const [path, token, status, slug] of problems) {
        const res = await get(path, token);
        expect(res.status, path).toBe(status);
        expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(((await res.json()) as { type: string }).type).toBe(`https://poshub.dev/problems/${slug}`);
      }
      // A cursor of another store's export is not this one's.
      const other = await page(`/v1/exports/sales?store=${store}&businessDay=${day}&limit=1`);
      const foreign = await get(
        `/v1/exports/sales?store=${store}x&businessDay=${day}&cursor=${other.headers.get('poshub-export-cursor')}`,
      );
      expect(foreign.status).toBe(400);
      // A re-run needs admin:write.
      const rerun = await fetch(`${h().url}/v1/stores/${store}/business-days/${day}/reconciliation`, {
        method: 'POST',
        headers: { authorization: `Bearer ${h().erp}` },
      });
      expect(rerun.status).toBe(403);
      const after = await reconciliation(store, day);
      expect(after.body).toEqual(before.body);

      const unknown = await page(`/v1/exports/sales?store=NO-SUCH-${store}&businessDay=${day}`);
      expect(unknown).toMatchObject({ status: 200, events: [], next: undefined });
      expect(unknown.headers.get('poshub-export-total')).toBe('0');
      const empty = (await (
        await get(`/v1/exports/sales/summary?store=NO-SUCH-${store}&businessDay=${day}`)
      ).json()) as {
        events: number;
        takings: unknown[];
      };
      expect(empty).toMatchObject({ events: 0, takings: [] });
    });
  });
}
