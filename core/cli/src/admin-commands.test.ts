import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { DeliveryTarget } from '@poshub/dispatch';
import { ingestConfigFromEnv, type RunningIngest, startIngestServer } from '@poshub/ingest';
import type { CanonicalEvent } from '@poshub/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminClient } from './admin-client.ts';
import { connectorsCommand } from './connectors-command.ts';
import { dlqCommand } from './dlq-command.ts';
import type { Output } from './output.ts';
import { replayCommand } from './replay-command.ts';
import { resyncCommand } from './resync-command.ts';

const FIXTURES = join(import.meta.dirname, '..', '..', 'normalizers', 'fixtures');
const MAIN = join(import.meta.dirname, 'main.ts');

type Command = (args: string[], out: Output, env: NodeJS.ProcessEnv) => Promise<number>;

/** Runs a command with its output captured. */
async function run(command: Command, args: string[], env: NodeJS.ProcessEnv) {
  let stdout = '';
  let stderr = '';
  const out: Output = {
    data: (text) => {
      stdout += `${text}\n`;
    },
    write: (text) => {
      stdout += text;
    },
    info: (text) => {
      stderr += `${text}\n`;
    },
    color: false,
  };
  const code = await command(args, out, env);
  return { code, stdout, stderr };
}

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('not within time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('poshub connectors, dlq, replay and resync against a real hub (PGlite, embedded queue)', () => {
  let server: RunningIngest;
  let dir: string;
  let writer: string;
  let reader: string;
  let env: NodeJS.ProcessEnv;
  let ids: string[];
  let targetUp = false;
  const applied: CanonicalEvent[] = [];
  const erp: DeliveryTarget = {
    id: 'test-erp',
    types: ['sale.completed.v1'],
    retry: { baseMs: 10, capMs: 50, maxAttempts: 2 },
    async handle(event) {
      if (!targetUp) {
        return { ok: false, error: { retryable: false, type: 'http_400', message: 'store not mapped' } };
      }
      applied.push(event);
      return { ok: true };
    },
  };
  const crm: DeliveryTarget = {
    id: 'test-crm',
    types: ['sale.completed.v1'],
    handle: async () => ({ ok: true }),
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'poshub-cli-admin-'));
    const config = ingestConfigFromEnv({ POSHUB_PORT: '0', POSHUB_DATA_DIR: dir }, dir);
    server = await startIngestServer(config, { logLevel: 'silent', targets: [erp, crm] });
    const till = await server.devIssuer!.mint({ clientId: 'till', scopes: ['pos:write'], stores: ['0042'] });
    writer = await server.devIssuer!.mint({ clientId: 'ops-alice', scopes: ['admin:read', 'admin:write'] });
    reader = await server.devIssuer!.mint({ clientId: 'ops-viewer', scopes: ['admin:read'] });
    env = { POSHUB_URL: server.url, POSHUB_TOKEN: writer };

    const sale = JSON.parse(await readFile(join(FIXTURES, 'canonical', 'sale-two-lines.json'), 'utf8'));
    ids = [1, 2, 3].map((n) => `5f0c6c1e-8a51-4c1a-9d0e-4f7c2b1a9e0${n}`);
    for (const [n, id] of ids.entries()) {
      const doc = structuredClone(sale);
      doc.id = id;
      doc.data.key.sequence = String(1187 + n);
      doc.data.receiptNumber = `0042-03-${1187 + n}`;
      const res = await fetch(`${server.url}/v1/transactions`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${till}`,
          'content-type': 'application/json',
          'idempotency-key': id,
        },
        body: JSON.stringify(doc),
      });
      expect(res.status).toBe(201);
    }
    const client = adminClient({ url: server.url, token: reader });
    await eventually(async () => {
      const r = await client.connectors();
      const counts = r.ok ? r.value.connectors.map((c) => c.deliveries) : [];
      return counts[0]?.dead === 3 && counts[1]?.applied === 3 ? true : undefined;
    });
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists connectors with counts by status, signing in through the embedded development issuer', async () => {
    const r = await run(connectorsCommand, [], { POSHUB_URL: server.url, POSHUB_DATA_DIR: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('token from the embedded development issuer');
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^CONNECTOR\s+TYPES\s+ORDERED\s+APPLIED\s+DEAD$/);
    expect(lines[1]).toMatch(/^test-erp\s+sale\.completed\.v1\s+no\s+0\s+3$/);
    expect(lines[2]).toMatch(/^test-crm\s+sale\.completed\.v1\s+no\s+3\s+0$/);

    const json = await run(connectorsCommand, ['--json'], env);
    expect(JSON.parse(json.stdout).connectors).toHaveLength(2);
  });

  it('lists the dead letters as a table, pages with --after, and prints JSON on request', async () => {
    const r = await run(dlqCommand, ['list'], env);
    expect(r.code).toBe(0);
    const [header, ...rows] = r.stdout.trim().split('\n');
    expect(header).toMatch(/^CONNECTOR\s+EVENT\s+TYPE\s+STORE\s+STATUS\s+ATTEMPTS\s+LAST ERROR\s+UPDATED$/);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatch(
      new RegExp(
        `^test-erp\\s+${ids[0]}\\s+sale\\.completed\\.v1\\s+0042\\s+dead\\s+1\\s+http_400: store not mapped\\s+\\d{4}-`,
      ),
    );
    expect(r.stderr).toContain('3 deliveries (status dead)');

    const first = await run(dlqCommand, ['list', '--limit', '2'], env);
    expect(first.stdout.trim().split('\n')).toHaveLength(3);
    const cursor = /--after (\d+)/.exec(first.stderr)?.[1];
    expect(cursor).toBeDefined();
    const second = await run(dlqCommand, ['list', '--limit', '2', '--after', cursor!], env);
    expect(second.stdout).toContain(ids[2]);
    expect(second.stdout).not.toContain(ids[0]);

    const json = await run(dlqCommand, ['list', '--json', '--error-type', 'http_400', '--from', '1h'], env);
    expect(JSON.parse(json.stdout)).toMatchObject({ items: [{}, {}, {}], next: null });
    const crm = await run(dlqCommand, ['list', '--connector', 'test-crm', '--status', 'applied,dead'], env);
    expect(crm.stdout.trim().split('\n')).toHaveLength(4);
    const none = await run(dlqCommand, ['list', '--connector', 'test-crm'], env);
    expect(none).toMatchObject({ code: 0, stdout: '', stderr: 'No deliveries with status dead.\n' });
  });

  it('shows one delivery with its error history, and says when there is none', async () => {
    const r = await run(dlqCommand, ['show', 'test-erp', ids[0]!], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`test-erp / ${ids[0]}`);
    expect(r.stdout).toMatch(/status\s+dead after 1 attempt\(s\)/);
    expect(r.stdout).toMatch(/event\s+store 0042 ws 03 day 2026-03-14 seq 1187: 2 line\(s\)/);
    expect(r.stdout).toContain('Attempts (1)');
    expect(r.stdout).toMatch(
      /1\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\s+\d+\s+permanent\s+http_400: store not mapped/,
    );
    expect(r.stdout).toContain('Edits (0)');

    const missing = await run(dlqCommand, ['show', 'test-erp', 'no-such-event'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('✖ Not Found (404): test-erp has no delivery of no-such-event');
  });

  it('refuses an edit that does not pass the ingest checks, printing each pointer, and stores a good one', async () => {
    const shown = await run(dlqCommand, ['show', 'test-erp', ids[1]!, '--data'], env);
    const data = JSON.parse(shown.stdout);
    expect(data.receiptNumber).toBe('0042-03-1188');

    const file = join(dir, 'data.json');
    await writeFile(file, JSON.stringify({ ...data, receiptNumber: '4111111111111111', lines: [] }));
    const refused = await run(
      dlqCommand,
      ['edit', 'test-erp', ids[1]!, '--file', file, '--reason', 'x'],
      env,
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('✖ Edit refused (422): the edit was not stored');
    expect(refused.stderr).toMatch(/\/data\/receiptNumber\s+/);

    await writeFile(file, JSON.stringify({ ...data, receiptNumber: 'R-EDITED' }));
    const stored = await run(
      dlqCommand,
      ['edit', 'test-erp', ids[1]!, '--file', file, '--reason', 'receipt typo'],
      env,
    );
    expect(stored.code).toBe(0);
    expect(stored.stderr).toMatch(/✔ edit \d+ stored for test-erp/);
    const after = await run(dlqCommand, ['show', 'test-erp', ids[1]!], env);
    expect(after.stdout).toMatch(
      /Edits \(1\)\n\s+EDIT\s+EDITED\s+BY\s+REASON\n\s+\d+\s+.+\s+ops-alice\s+receipt typo/,
    );
  });

  it('replays as a dry run by default: lists what would be sent, sends nothing', async () => {
    const r = await run(replayCommand, ['test-erp'], env);
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split('\n');
    expect(rows[0]).toMatch(/^EVENT\s+TYPE\s+STORE\s+WAS\s+EDITED$/);
    expect(rows.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(ids);
    expect(rows[2]).toMatch(/dead\s+edited$/);
    expect(r.stderr).toContain('Dry run: 3 events would be sent to test-erp; nothing was sent.');
    expect(r.stderr).toContain('Add --execute to send them.');

    const one = await run(dlqCommand, ['replay', 'test-erp', '--event', ids[0]!], env);
    expect(one.stderr).toContain('Dry run: 1 event would be sent');
    await new Promise((r) => setTimeout(r, 200));
    expect(applied).toEqual([]);
    expect((await run(dlqCommand, ['list'], env)).stderr).toContain('3 deliveries (status dead)');
  });

  it('replays for real with --execute, sending the edited payload', async () => {
    targetUp = true;
    const r = await run(
      replayCommand,
      ['test-erp', '--status', 'dead', '--type', 'sale.completed.v1', '--execute'],
      env,
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('✔ 3 events sent to test-erp again.');
    await eventually(async () => (applied.length === 3 ? true : undefined));
    expect(applied.find((e) => e.id === ids[1])?.data).toMatchObject({ receiptNumber: 'R-EDITED' });
    const left = await run(dlqCommand, ['list', '--connector', 'test-erp'], env);
    expect(left).toMatchObject({ code: 0, stderr: 'No deliveries with status dead.\n' });
    // The target has the event before the ledger records it applied: wait for the ledger.
    const show = await eventually(async () => {
      const r = await run(dlqCommand, ['show', 'test-erp', ids[0]!], env);
      return r.stdout.includes('applied after') ? r : undefined;
    });
    expect(show.stdout).toMatch(/status\s+applied after 1 attempt\(s\)/);
    expect(show.stdout).toContain('Attempts (2)');
  });

  it('re-syncs one transaction or one SKU as a dry run', async () => {
    const tx = await run(resyncCommand, ['test-erp', '--transaction', ids[2]!], env);
    expect(tx.code).toBe(0);
    expect(tx.stdout).toMatch(new RegExp(`${ids[2]}\\s+sale\\.completed\\.v1\\s+0042\\s+applied`));
    expect(tx.stderr).toContain('Dry run: 1 event would be sent to test-erp');
    const bySku = await run(
      resyncCommand,
      ['test-erp', '--sku', 'TSHIRT-M-BLU', '--since', '2020-01-01'],
      env,
    );
    expect(bySku.stderr).toContain('Dry run: 3 events would be sent');
    const nobody = await run(resyncCommand, ['test-erp', '--customer', 'nobody'], env);
    expect(nobody.stderr).toContain('Nothing to send to test-erp: no event matches.');
  });

  it('says so when the connector is unknown, exit 1', async () => {
    const replay = await run(replayCommand, ['nope'], env);
    expect(replay.code).toBe(1);
    expect(replay.stderr).toContain('✖ Unknown connector (404): no connector "nope" runs on this hub');
    const list = await run(dlqCommand, ['list', '--connector', 'nope'], env);
    expect(list.code).toBe(1);
    expect(list.stderr).toContain('no connector "nope" runs on this hub; connectors: test-erp, test-crm');
  });

  it('explains refused tokens, and a missing one it cannot mint', async () => {
    const forbidden = await run(replayCommand, ['test-erp', '--token', reader], env);
    expect(forbidden.code).toBe(1);
    expect(forbidden.stderr).toContain('✖ Forbidden (403)');
    expect(forbidden.stderr).toContain('admin:write');
    const bad = await run(connectorsCommand, ['--token', 'not-a-jwt'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('✖ Unauthorized (401)');
    const otherDir = await mkdtemp(join(tmpdir(), 'poshub-cli-other-'));
    try {
      const r = await run(connectorsCommand, [], { POSHUB_URL: server.url, POSHUB_DATA_DIR: otherDir });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`signs with a development key not found in ${otherDir}`);
      expect(r.stderr).toContain('Pass --token or set POSHUB_TOKEN');
    } finally {
      await rm(otherDir, { recursive: true, force: true });
    }
  });

  it('says there is no hub when nothing listens at the URL', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
    const url = `http://127.0.0.1:${port}`;
    for (const token of [['--token', writer], []]) {
      const r = await run(dlqCommand, ['list', '--url', url, ...token], { POSHUB_DATA_DIR: dir });
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`error: no hub at ${url}: start one with pnpm poshub serve\n`);
    }
  });

  it('refuses bad arguments with exit 2 and the command help', async () => {
    const cases: Array<[Command, string[], string]> = [
      [dlqCommand, ['list', '--bogus'], "Unknown option '--bogus'"],
      [dlqCommand, ['list', '--status', 'lost'], 'unknown status "lost"'],
      [dlqCommand, ['list', '--limit', '0'], '--limit is a whole number from 1 to 1000'],
      [dlqCommand, ['list', '--from', 'yesterday'], '--from "yesterday" is neither'],
      [dlqCommand, ['list', '--url', 'ftp://hub'], 'is not an http(s) URL'],
      [dlqCommand, ['show', 'test-erp'], 'give a connector and an event id'],
      [dlqCommand, ['edit', 'test-erp', ids[0]!, '--reason', 'r'], '--file is required'],
      [dlqCommand, ['frobnicate'], 'unknown subcommand "frobnicate"'],
      [dlqCommand, [], 'give a subcommand'],
      [replayCommand, [], 'give one connector'],
      [replayCommand, ['test-erp', '--event', 'x', '--since', '1h'], 'choose one of --event, --since'],
      [replayCommand, ['test-erp', '--since', '2d', '--store', '0042'], 'choose one of --since, a filter'],
      [resyncCommand, ['test-erp'], 'give exactly one of --transaction, --sku and --customer'],
      [resyncCommand, ['test-erp', '--sku', 'a', '--customer', 'b'], 'give exactly one of'],
    ];
    for (const [command, args, message] of cases) {
      const r = await run(command, args, env);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stderr).toContain(message);
      expect(r.stderr).toContain('Usage: pnpm poshub');
    }
    const help = await run(dlqCommand, ['list', '--help'], env);
    expect(help).toMatchObject({ code: 0, stdout: '' });
    expect(help.stderr).toContain('Usage: pnpm poshub dlq list');
  });

  it('runs as the real CLI process: pnpm poshub connectors', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [MAIN, 'connectors'], {
      env: {
        ...process.env,
        NO_COLOR: '1',
        POSHUB_URL: server.url,
        POSHUB_DATA_DIR: dir,
        POSHUB_TOKEN: '',
        OIDC_ISSUER: '',
      },
    });
    expect(stdout).toMatch(/^test-erp\s+sale\.completed\.v1\s+no\s+3$/m);
  });
});
