import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunningIngest } from '@poshub/ingest';
import type { CanonicalEvent } from '@poshub/model';
import { formatMoney } from '@poshub/model';
import type { DemoConnector } from './demo-connector.ts';
import { type Output, paint } from './output.ts';

const SALE = join(
  import.meta.dirname,
  '..',
  '..',
  'normalizers',
  'fixtures',
  'canonical',
  'sale-two-lines.json',
);

// biome-ignore lint/suspicious/noExplicitAny: demo documents are edited freely
type Json = Record<string, any>;

function sale(template: Json, workstation: string, sequence: string, day: string): Json {
  const e = structuredClone(template);
  e.id = `demo-${workstation}-${day}-${sequence}`;
  e.data.key = { ...e.data.key, workstationId: workstation, sequence, businessDay: day };
  e.data.receiptNumber = `0042-${workstation}-${sequence}`;
  return e;
}

function returnOfApples(template: Json): Json {
  const e = structuredClone(template);
  const apples = e.data.lines[1];
  const minus = (m: Json) => ({ ...m, minor: -m.minor });
  e.id = 'demo-05-2026-03-15-17';
  e.type = 'return.completed.v1';
  e.time = '2026-03-15T16:40:00Z';
  e.data.kind = 'return';
  e.data.key = { ...e.data.key, workstationId: '05', businessDay: '2026-03-15', sequence: '17' };
  e.data.receiptNumber = '0042-05-17';
  e.data.lines = [
    {
      ...apples,
      lineNumber: '1',
      direction: 'return',
      quantity: `-${apples.quantity}`,
      extendedAmount: minus(apples.extendedAmount),
      originalLine: {
        kind: 'return',
        key: { storeId: '0042', workstationId: '03', businessDay: '2026-03-14', sequence: '1001' },
        lineNumber: '2',
      },
      restock: false,
      returnReason: 'damaged',
    },
  ];
  e.data.tenders = [{ type: 'cash', amount: minus(apples.extendedAmount), purpose: 'refund' }];
  e.data.total = minus(apples.extendedAmount);
  e.data.stated = {};
  e.data.links = [
    {
      kind: 'return',
      key: { storeId: '0042', workstationId: '03', businessDay: '2026-03-14', sequence: '1001' },
    },
  ];
  return e;
}

/**
 * What a newcomer watches on `npm start`: a till posts sales, goes offline (its day shows gaps), flushes
 * its stored sales in one batch (a resend among them is recognised), a customer returns an item the next
 * day at another till, a retry replays, a card number is refused, and the day closes without gaps.
 */
export async function runServeDemo(server: RunningIngest, out: Output, demo: DemoConnector): Promise<void> {
  const template = JSON.parse(await readFile(SALE, 'utf8')) as Json;
  const till = await server.devIssuer!.mint({
    clientId: 'till-0042-03',
    scopes: ['pos:write'],
    stores: ['0042'],
  });
  const office = await server.devIssuer!.mint({ clientId: 'back-office', scopes: ['admin:read'] });
  const say = (text = '') => out.info(text);
  const step = (n: number, text: string) => say(`\n${paint(out, 'bold', `${n}.`)} ${text}`);
  const call = async (path: string, body: unknown, headers: Record<string, string> = {}, token = till) => {
    const res = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
      body: JSON.stringify(body),
    });
    return {
      status: res.status,
      replayed: res.headers.get('idempotent-replayed') === 'true',
      body: (await res.json()) as Json,
    };
  };
  let created = 0;
  const show = (r: { status: number; replayed: boolean; body: Json }, what: string) => {
    if (r.status === 201 && !r.replayed) created++;
    say(
      `   ${paint(out, r.status < 300 ? 'green' : 'yellow', String(r.status))} ${what}${r.replayed ? ' (Idempotent-Replayed: true)' : ''}${typeof r.body.status === 'string' ? `: ${r.body.status}` : ''}${r.body.title ? `: ${r.body.title}` : ''}`,
    );
  };
  const day = async (d: string) => {
    const res = await fetch(`${server.url}/v1/stores/0042/business-days/${d}`, {
      headers: { authorization: `Bearer ${office}` },
    });
    const report = (await res.json()) as {
      workstations: Array<{ workstationId: string; transactions: number; totals: Json[]; gaps: string[] }>;
    };
    for (const w of report.workstations) {
      const totals = w.totals
        .map((t) => `${formatMoney({ minor: t.minor, currency: t.currency, exponent: 2 })} ${t.currency}`)
        .join(', ');
      say(
        `   till ${w.workstationId}: ${w.transactions} transaction(s), ${totals}, gaps ${w.gaps.length ? paint(out, 'yellow', w.gaps.join(', ')) : 'none'}`,
      );
    }
  };

  say(paint(out, 'bold', '\nDemo: a store day, posted to the running hub'));
  step(1, 'Till 03 of store 0042 sells (each POST commits to the database before it answers 201):');
  for (const seq of ['1001', '1002', '1005'])
    show(
      await call('/v1/transactions', sale(template, '03', seq, '2026-03-14'), {
        'idempotency-key': `03-${seq}`,
      }),
      `sale ${seq}`,
    );
  step(2, 'The till was offline for two sales; the day report shows the gap:');
  await day('2026-03-14');
  step(3, 'Back online, the till flushes what it stored (with one sale it had already sent):');
  const flush = await call('/v1/transactions/batch', [
    sale(template, '03', '1003', '2026-03-14'),
    sale(template, '03', '1004', '2026-03-14'),
    sale(template, '03', '1002', '2026-03-14'),
  ]);
  for (const r of flush.body.results as Array<{
    index: number;
    status: number;
    body: Json;
    replayed?: boolean;
  }>)
    show({ status: r.status, replayed: r.replayed === true, body: r.body }, `item ${r.index}`);
  step(4, 'Next day a customer returns the apples at till 05 (linked to sale 1001, line 2):');
  const ret = returnOfApples(template);
  show(
    await call('/v1/transactions', ret, { 'idempotency-key': '05-17' }),
    `return ${formatMoney(ret.data.total)} USD`,
  );
  step(5, 'A retry after a lost answer replays the first answer; nothing is booked twice:');
  show(
    await call('/v1/transactions', sale(template, '03', '1005', '2026-03-14'), {
      'idempotency-key': '03-1005',
    }),
    'sale 1005 again',
  );
  step(6, 'A card number typed into a description is refused, and nothing is stored:');
  const bad = sale(template, '03', '1006', '2026-03-14');
  bad.data.lines[0].item.description = 'paid 4111 1111 1111 1111';
  const refused = await call('/v1/transactions', bad, { 'idempotency-key': '03-1006' });
  show(refused, 'sale 1006');
  for (const p of (refused.body.problems ?? []) as Json[]) say(`      ${p.code} ${p.pointer}: ${p.message}`);
  step(7, 'The day, complete:');
  await day('2026-03-14');
  step(8, 'Dispatch: every committed sale and return went to the demo ERP connector, one store in order:');
  const expected = created;
  if (expected === 0)
    say('   nothing new this run: the hub already had this day (see GET /v1/admin/connectors)');
  const deadline = Date.now() + 20_000;
  while (demo.received.length < expected && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 100));
  for (const d of demo.received) {
    const data = d.event.data as Json;
    const retried = demo.failedOnce.includes(d.event.id)
      ? paint(out, 'yellow', ' (first try answered 503; retried with backoff)')
      : '';
    say(
      `   -> demo-erp  ${d.event.type.padEnd(20)} ${data.key.workstationId}/${data.key.sequence}  ${formatMoney(data.total)} ${data.currency}  attempt ${d.attempt}${retried}`,
    );
  }
  if (demo.received.length < expected)
    say(paint(out, 'yellow', `   only ${demo.received.length} of ${expected} arrived within 20 s`));
  say(
    `\nEvery stored event and its delivery per connector: GET ${server.url}/v1/transactions/<id> (e.g. ${(ret as CanonicalEvent).id})`,
  );
  const port = new URL(server.url).port;
  say(
    `Deliveries, dead letters and replays (in another terminal): POSHUB_PORT=${port} pnpm poshub connectors | dlq list --status all | replay demo-erp --since 1h`,
  );
  say(`  (the same over HTTP: ${server.url}/v1/admin/deliveries and /v1/admin/replays, admin scopes)`);
}
