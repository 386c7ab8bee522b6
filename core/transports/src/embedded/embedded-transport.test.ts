import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readServiceUrls } from '@poshub/local-services';
import { requireService } from '@poshub/local-services/require-service';
import { openDatabase, type Store } from '@poshub/store';
import { describeTransportConformance } from '../testing/transport-conformance.ts';
import { EmbeddedTransport } from './embedded-transport.ts';

const LEASE_MS = 2000;

describeTransportConformance('embedded queue on PGlite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'poshub-embedded-'));
  const store = await openDatabase({ kind: 'pglite', dataDir: dir });
  return {
    open: async () => new EmbeddedTransport(store.db, { leaseMs: LEASE_MS }),
    redeliveryWithinMs: LEASE_MS,
    cleanup: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describeTransportConformance('embedded queue on PostgreSQL', async () => {
  const urls = readServiceUrls();
  await requireService('postgres', urls.databaseUrl);
  const stores: Store[] = [];
  return {
    // Each "process" gets its own pool, as separate hub processes would.
    open: async () => {
      const store = await openDatabase({ kind: 'postgres', url: urls.databaseUrl, poolSize: 4 });
      stores.push(store);
      return new EmbeddedTransport(store.db, { leaseMs: LEASE_MS });
    },
    redeliveryWithinMs: LEASE_MS,
    cleanup: async () => {
      for (const s of stores) await s.close();
    },
  };
});
