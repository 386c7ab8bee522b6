import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Store } from '@poshub/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppendRequest, appendToImport } from './append-to-import.ts';
import type { CardScan } from './card-scan.ts';
import { commitImportBatch } from './commit-import-batch.ts';
import { findImportJob } from './find-import-job.ts';
import type { ImportJob } from './import-job.ts';
import { importRejectLines } from './import-reject-lines.ts';
import type { ImportFormat, ImportType } from './import-tables.ts';
import { openImportJob } from './open-import-job.ts';

// The import pipeline on a real embedded PGlite database. Card numbers are not what these tests are about
// (the ingest API suite covers them with @poshub/rules), so rows are scanned by a scanner that finds none.
const NO_CARDS: CardScan = {
  inValue: () => [],
  inText: () => false,
  parseForScan: (text) => JSON.parse(text),
};

let store: Store;
let dir: string;
let keys = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'poshub-batch-'));
  store = await openDatabase({ kind: 'pglite', dataDir: dir });
}, 60_000);

afterAll(async () => {
  await store?.close();
  await rm(dir, { recursive: true, force: true });
});

async function newJob(type: ImportType, format: ImportFormat, length?: number): Promise<ImportJob> {
  const opened = await openImportJob(store.db, { clientId: 'erp', key: `k${++keys}`, type, format, length });
  if (!opened.ok) throw new Error('key reused');
  return opened.job;
}

async function* body(...parts: Array<string | Buffer>): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield Buffer.from(part);
}

function append(
  job: ImportJob,
  parts: AsyncIterable<Uint8Array> | undefined,
  req: Partial<AppendRequest> = {},
) {
  return appendToImport(store.db, job, parts, {
    offset: job.offset,
    complete: false,
    wireBytes: () => 0,
    principal: { clientId: 'erp', stores: undefined },
    cards: NO_CARDS,
    limits: { batchRows: 2, maxPendingRows: 4 },
    ...req,
  });
}

/** The batch events of a job, in batch order. */
async function eventsOf(jobId: string) {
  const rows = await store.db
    .selectFrom('events')
    .innerJoin('outbox', 'outbox.event_id', 'events.id')
    .select(['events.body', 'events.store_id', 'outbox.store_id as outbox_store'])
    .where('events.type', 'like', '%.imported.v1')
    .execute();
  return rows
    .map((r) => ({
      ...(r.body as {
        subject: string;
        data: { importId: string; batch: number; rows: Array<Record<string, unknown>> };
      }),
      storeId: r.store_id,
      outboxStore: r.outbox_store,
    }))
    .filter((e) => e.data.importId === jobId)
    .sort((a, b) => a.data.batch - b.data.batch);
}

async function rejectsOf(jobId: string) {
  let text = '';
  for await (const page of importRejectLines(store.db, jobId)) text += page;
  return text
    .split('\n')
    .filter(Boolean)
    .map(
      (l) =>
        JSON.parse(l) as { row: number; line: number; problems: Array<{ code: string; pointer: string }> },
    );
}

const CSV = [
  'sku,storeId,priceListId,amount,currency,effectiveFrom',
  'A,0042,,1.00,EUR,2026-04-01',
  '"B\nwith a line end",0042,,2.50,EUR,2026-04-01',
  'C,,PL-1,3.00,EUR,2026-04-01',
  'D,0042,,bad,EUR,2026-04-01',
  'E,0043,,5.00,EUR,2026-04-01',
  '"F ""quoted""",0042,,6.00,EUR,2026-04-01',
  'G,0042,,7.00,EUR,2026-04-01',
].join('\n');

describe('appendToImport', () => {
  it('commits a CSV sent in two bodies cut at any byte exactly as the file sent whole', async () => {
    const whole = await newJob('price', 'csv');
    const once = await append(whole, body(CSV), { complete: true });
    expect(once.ok && once.job).toMatchObject({
      status: 'completed',
      rowsRead: 7,
      rowsAccepted: 6,
      rowsRejected: 1,
    });
    const expectedRows = (await eventsOf(whole.id)).flatMap((e) =>
      e.data.rows.map((r) => [e.subject, r.sku]),
    );
    expect(expectedRows).toHaveLength(6);
    const expectedRejects = await rejectsOf(whole.id);
    expect(expectedRejects).toEqual([
      {
        row: 4,
        line: 6,
        problems: [{ code: 'money.not_a_number', pointer: '/amount', message: expect.any(String) }],
        raw: 'D,0042,,bad,EUR,2026-04-01',
      },
    ]);

    const bytes = Buffer.from(CSV);
    for (let cut = 0; cut <= bytes.length; cut += 4) {
      let job = await newJob('price', 'csv');
      const first = await append(job, body(bytes.subarray(0, cut)));
      expect(first.ok).toBe(true);
      job = first.job;
      expect(job.offset).toBe(cut);
      const second = await append(job, body(bytes.subarray(cut)), { complete: true });
      expect(second.ok && second.job).toMatchObject({
        status: 'completed',
        rowsRead: 7,
        rowsAccepted: 6,
        rowsRejected: 1,
        chunksReceived: 2,
      });
      const events = await eventsOf(job.id);
      expect(events.flatMap((e) => e.data.rows.map((r) => [e.subject, r.sku]))).toEqual(expectedRows);
      expect(
        events.every(
          (e) => e.data.rows.length <= 2 && e.storeId === e.subject && e.outboxStore === e.subject,
        ),
      ).toBe(true);
      expect(await rejectsOf(job.id)).toEqual(expectedRejects);
    }
  }, 120_000);

  it('groups accepted rows by store into numbered batch events, chain-wide rows under "*"', async () => {
    const job = await newJob('price', 'ndjson');
    const row = (sku: string, where: string) =>
      `${JSON.stringify({ sku, ...(where === '*' ? { priceListId: 'PL' } : { storeId: where }), amount: { minor: 1, currency: 'EUR', exponent: 2 }, effectiveFrom: '2026-04-01' })}\n`;
    const text = [
      ['1', '0042'],
      ['2', '0043'],
      ['3', '*'],
      ['4', '0042'],
      ['5', '0042'],
      ['6', '0043'],
    ]
      .map(([sku, where]) => row(sku!, where!))
      .join('');
    const done = await append(job, body(text), {
      complete: true,
      limits: { batchRows: 2, maxPendingRows: 100 },
    });
    expect(done.ok).toBe(true);
    const events = await eventsOf(job.id);
    expect(events.map((e) => [e.data.batch, e.subject, e.data.rows.map((r) => r.sku)])).toEqual([
      [1, '0042', ['1', '4']],
      [2, '0043', ['2']],
      [3, '*', ['3']],
      [4, '0042', ['5']],
      [5, '0043', ['6']],
    ]);
  });

  it('keeps what an interrupted body committed; the rest, sent from the job offset, completes it exactly', async () => {
    const lines = Array.from(
      { length: 40 },
      (_, i) =>
        `${JSON.stringify({ sku: `S${i}`, locationId: '0042', onHand: String(i), asOf: '2026-04-01T06:00:00Z' })}\n`,
    );
    const text = lines.join('');
    const job = await newJob('stock', 'ndjson', Buffer.byteLength(text));
    async function* broken() {
      yield Buffer.from(text.slice(0, 700));
      yield Buffer.from(text.slice(700, 1500));
      throw new Error('aborted');
    }
    const cut = await append(job, broken(), { limits: { batchRows: 5, maxPendingRows: 50 } });
    expect(cut).toMatchObject({ ok: false, error: { code: 'body_failed', message: 'aborted' } });
    const at = cut.job.offset;
    // Every row that ended before the break is committed, the one it cut is not.
    expect(at).toBe(lines.slice(0, text.slice(0, 1500).split('\n').length - 1).join('').length);
    expect(cut.job.rowsRead).toBe(text.slice(0, at).split('\n').length - 1);
    expect(cut.job.carry.length).toBe(0);

    const stale = await append(cut.job, body(text.slice(0, 10)), { offset: 0 });
    expect(stale).toMatchObject({ ok: false, error: { code: 'offset_mismatch', expected: at, provided: 0 } });
    const resumed = await append(cut.job, body(text.slice(at)), { complete: true });
    expect(resumed.ok && resumed.job).toMatchObject({
      status: 'completed',
      rowsRead: 40,
      rowsAccepted: 40,
      offset: text.length,
    });
    const skus = (await eventsOf(job.id)).flatMap((e) => e.data.rows.map((r) => r.sku));
    expect(skus).toEqual(lines.map((_, i) => `S${i}`));
  });

  it('commits a batch once: the same commit again, or an upload from a stale job state, changes nothing', async () => {
    const job = await newJob('stock', 'ndjson');
    const commit = {
      jobId: job.id,
      from: { offset: 0, batches: 0 },
      to: { offset: 10, lines: 1, batches: 0 },
      rows: { read: 1, accepted: 0, rejected: 1 },
      bytes: 10,
      chunks: 0,
      carry: Buffer.alloc(0),
      events: [],
      rejects: [{ rowNumber: 1, line: 1, problems: [{ code: 'x', pointer: '', message: 'm' }], raw: 'r' }],
    };
    expect(await commitImportBatch(store.db, commit)).toBe(true);
    expect(await commitImportBatch(store.db, commit)).toBe(false);
    const after = await findImportJob(store.db, job.id);
    expect(after).toMatchObject({ offset: 10, rowsRead: 1, rowsRejected: 1, bytesReceived: 10 });
    // `job` still says offset 0: an upload built on it loses the race and commits nothing.
    const raced = await append(
      job,
      body('{"sku":"late","locationId":"1","onHand":"1","asOf":"2026-04-01T00:00:00Z"}\n'),
      {
        complete: true,
      },
    );
    expect(raced).toMatchObject({ ok: false, error: { code: 'moved' } });
    expect(await findImportJob(store.db, job.id)).toMatchObject({
      offset: 10,
      rowsRead: 1,
      status: 'receiving',
    });
    expect(await eventsOf(job.id)).toEqual([]);
  });

  it('fails a CSV whose header names unknown columns, with nothing committed; and refuses a completion short of the declared length', async () => {
    const job = await newJob('product', 'csv');
    const bad = await append(job, body('sku,name,colour\nA,B,red\n'), { complete: true });
    expect(bad).toMatchObject({
      ok: false,
      error: {
        code: 'csv_header',
        problems: [
          { code: 'csv.unknown_column', pointer: '/colour' },
          { code: 'csv.missing_column', pointer: '/category' },
          { code: 'csv.missing_column', pointer: '/taxCode' },
          { code: 'csv.missing_column', pointer: '/unitOfMeasure' },
        ],
      },
      job: { status: 'failed', rowsRead: 0, batches: 0 },
    });

    const short = await newJob('stock', 'csv', 100);
    const early = await append(short, body('sku,locationId,onHand,asOf\n'), { complete: true });
    expect(early).toMatchObject({ ok: false, error: { code: 'length_mismatch', length: 100, offset: 27 } });
    expect(early.job.status).toBe('receiving');
  });
});
