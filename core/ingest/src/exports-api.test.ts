import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CanonicalEvent } from '@poshub/model';
import { afterAll, beforeAll } from 'vitest';
import {
  describeExportsApi,
  type ExportsHarness,
  recordingReconciliationTarget,
} from './exports-api-suite.ts';
import { ingestConfigFromEnv } from './ingest-config.ts';
import { type RunningIngest, startIngestServer } from './start-ingest-server.ts';

// The sales journal export, summary and reconciliation on the embedded PGlite database with the
// development issuer.
let server: RunningIngest;
let dir: string;
let harness: ExportsHarness;
const received: CanonicalEvent[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'poshub-exports-'));
  server = await startIngestServer(ingestConfigFromEnv({ POSHUB_PORT: '0', POSHUB_DATA_DIR: dir }, dir), {
    logLevel: 'silent',
    targets: [recordingReconciliationTarget(received)],
  });
  const issuer = server.devIssuer!;
  harness = {
    url: server.url,
    erp: await issuer.mint({ clientId: 'erp-sync', scopes: ['erp:batch'] }),
    admin: await issuer.mint({ clientId: 'ops', scopes: ['admin:read', 'admin:write'] }),
    till: await issuer.mint({ clientId: 'till', scopes: ['pos:write'] }),
    storeErp: await issuer.mint({ clientId: 'store-0042-erp', scopes: ['erp:batch'], stores: ['0042'] }),
    received,
  };
}, 120_000);

afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

describeExportsApi('PGlite', () => harness);
