import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeliveryTarget, HandleContext } from '@poshub/dispatch';
import { describe, expect, it } from 'vitest';
import { ingestConfigFromEnv } from './ingest-config.ts';
import { startIngestServer } from './start-ingest-server.ts';
import { traceContextOf } from './trace-context.ts';

const FIXTURES = join(import.meta.dirname, '..', '..', 'normalizers', 'fixtures');
const PARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const headers = (h: Record<string, string>) => (name: string) => h[name];

describe('traceContextOf', () => {
  it('keeps a valid traceparent and its tracestate, lower-cased and trimmed', () => {
    expect(
      traceContextOf(headers({ traceparent: ` ${PARENT.toUpperCase()} `, tracestate: 'ven=abc' })),
    ).toEqual({
      traceparent: PARENT,
      tracestate: 'ven=abc',
    });
  });

  it.each([
    ['no header', {}],
    ['bad shape', { traceparent: '00-abc-def-01' }],
    ['version ff', { traceparent: PARENT.replace(/^00/, 'ff') }],
    ['all-zero trace id', { traceparent: `00-${'0'.repeat(32)}-00f067aa0ba902b7-01` }],
    ['all-zero parent id', { traceparent: `00-4bf92f3577b34da6a3ce929d0e0e4736-${'0'.repeat(16)}-01` }],
    ['extra fields on version 00', { traceparent: `${PARENT}-zz` }],
    ['tracestate alone', { tracestate: 'ven=abc' }],
  ])('ignores %s', (_why, h) => {
    expect(traceContextOf(headers(h))).toBeUndefined();
  });

  it('drops an oversized tracestate but keeps the traceparent', () => {
    expect(traceContextOf(headers({ traceparent: PARENT, tracestate: `a=${'x'.repeat(600)}` }))).toEqual({
      traceparent: PARENT,
    });
  });
});

describe('trace context from the request to the connector (PGlite, embedded queue)', () => {
  it('hands the connector the traceparent and tracestate the till sent', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'poshub-trace-'));
    const seen: Array<HandleContext['trace']> = [];
    const target: DeliveryTarget = {
      id: 'trace-probe',
      types: ['sale.completed.v1'],
      async handle(_event, ctx) {
        seen.push(ctx.trace);
        return { ok: true };
      },
    };
    const server = await startIngestServer(
      ingestConfigFromEnv({ POSHUB_PORT: '0', POSHUB_DATA_DIR: dir }, dir),
      { logLevel: 'silent', targets: [target] },
    );
    try {
      const token = await server.devIssuer!.mint({
        clientId: 'till',
        scopes: ['pos:write'],
        stores: ['0042'],
      });
      const sale = await readFile(join(FIXTURES, 'canonical', 'sale-two-lines.json'), 'utf8');
      const res = await fetch(`${server.url}/v1/transactions`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'idempotency-key': 'trace-1',
          traceparent: PARENT,
          tracestate: 'pos=till-3',
        },
        body: sale,
      });
      expect(res.status).toBe(201);
      const deadline = Date.now() + 15_000;
      while (seen.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(seen).toEqual([{ traceparent: PARENT, tracestate: 'pos=till-3' }]);
    } finally {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
