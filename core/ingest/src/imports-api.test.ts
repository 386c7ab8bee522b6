import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { CanonicalEvent } from '@poshub/model';
import { afterAll, beforeAll } from 'vitest';
import { describeImportsApi, type ImportsHarness, recordingImportTarget } from './imports-api-suite.ts';
import { ingestConfigFromEnv } from './ingest-config.ts';
import { type RunningIngest, startIngestServer } from './start-ingest-server.ts';

// The imports API on the embedded PGlite database with the development issuer; every log line is kept to
// prove no card number or personal data reaches the logs.
let server: RunningIngest;
let dir: string;
let harness: ImportsHarness;
const logLines: string[] = [];
const received: CanonicalEvent[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'poshub-imports-'));
  const config = {
    ...ingestConfigFromEnv({ POSHUB_PORT: '0', POSHUB_DATA_DIR: dir }, dir),
    maxBodyBytes: 64 * 1024,
  };
  server = await startIngestServer(config, {
    logLevel: 'info',
    logDestination: new Writable({
      write(chunk, _encoding, done) {
        logLines.push(String(chunk));
        done();
      },
    }),
    targets: [recordingImportTarget(received)],
  });
  const issuer = server.devIssuer!;
  harness = {
    url: server.url,
    erp: await issuer.mint({ clientId: 'erp-sync', scopes: ['erp:batch'] }),
    otherErp: await issuer.mint({ clientId: 'erp-other', scopes: ['erp:batch'] }),
    till: await issuer.mint({ clientId: 'till-0042-03', scopes: ['pos:write'], stores: ['0042'] }),
    storeErp: await issuer.mint({ clientId: 'store-0042-erp', scopes: ['erp:batch'], stores: ['0042'] }),
    received,
    logs: () => logLines.join(''),
  };
}, 120_000);

afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

// The body limit is 64 KB here: uploads stream past it, whatever their size.
describeImportsApi('PGlite', () => harness);
