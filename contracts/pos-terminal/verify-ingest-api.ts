import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Verifier } from '@pact-foundation/pact';
import { ingestConfigFromEnv, startIngestServer } from '@poshub/ingest';
import { INGEST_API_STATES } from './ingest-api-states.ts';
import { posTerminalClient } from './pos-terminal-client.ts';
import { tillKey, tillSale } from './till-sale.ts';

/**
 * Verifies the POS terminal's pact against a running hub: the real ingest server in this process, on an
 * embedded PGlite database with the development issuer. Provider states are set up through the hub's own
 * API (a token minted for store 0042, sales posted with the POS client), and each request of the pact
 * carries the token of its state instead of the pact's example.
 */
export async function verifyIngestApi(pactFile: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'poshub-pact-ingest-'));
  const logs: string[] = [];
  const server = await startIngestServer(
    ingestConfigFromEnv({ POSHUB_PORT: '0', POSHUB_DATA_DIR: dir }, dir),
    {
      logLevel: 'warn',
      logDestination: new Writable({
        write(chunk, _encoding, done) {
          logs.push(String(chunk));
          done();
        },
      }),
    },
  );
  const tillToken = await server.devIssuer!.mint({
    clientId: 'till-0042-03',
    scopes: ['pos:write'],
    stores: ['0042'],
  });
  let token = tillToken;
  const failures: string[] = [];
  try {
    await new Verifier({
      provider: 'poshub-ingest-api',
      providerBaseUrl: server.url,
      pactUrls: [pactFile],
      logLevel: 'warn',
      stateHandlers: {
        [INGEST_API_STATES.acceptsSales]: async () => {
          token = tillToken;
        },
        [INGEST_API_STATES.untrusted]: async () => {
          token = 'not-a-token';
        },
        [INGEST_API_STATES.posted]: async (params) => {
          const sequence = String((params as { sequence?: unknown } | undefined)?.sequence);
          // The same bytes the verifier will send (a replay needs the same body): Pact stores a body with its
          // keys sorted, and the verifier's proxy sends it as compact JSON in that order.
          const posted = await posTerminalClient({ baseUrl: server.url, token: tillToken }).postTransaction(
            sortKeys(tillSale(sequence)),
            tillKey(sequence),
          );
          if (!posted.ok)
            failures.push(`state "${INGEST_API_STATES.posted}" ${sequence}: ${JSON.stringify(posted)}`);
        },
      },
      requestFilter: (req: IncomingMessage, _res: ServerResponse, next: () => void) => {
        if (req.headers.authorization) req.headers.authorization = `Bearer ${token}`;
        next();
      },
    }).verifyProvider();
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
  // Pact logs a failing state handler and carries on; a state that was not set up is a failed verification.
  if (failures.length > 0) throw new Error(failures.join('\n'));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
  );
}
